package herald.platform.security;

import herald.platform.config.JwtConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Login tokens: HS256 JWTs with subject (user), account, a unique {@code jti} for revocation,
 * issuer and expiry. Verification checks signature, issuer and expiry; revocation and the user's
 * current state are checked against the database by the authenticator.
 */
public final class Tokens {
  /** A verified token's claims. */
  public record Claims(UUID userId, UUID accountId, UUID tokenId, long expiresAt) {}

  /** A freshly issued token. */
  public record Issued(String token, UUID tokenId, int expiresIn) {}

  private final Vertx vertx;
  private final JwtConfig config;
  private volatile JWTAuth jwt;

  /** Tokens can be issued and verified once {@link #useKey} has been called. */
  public Tokens(Vertx vertx, JwtConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Sets the signing key (from config, or generated and kept in the database). */
  public void useKey(String secret) {
    this.jwt =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
                .setJWTOptions(new JWTOptions().setIssuer(config.issuer()).setLeeway(5)));
  }

  private JWTAuth jwt() {
    JWTAuth current = jwt;
    if (current == null) {
      // unreachable through the API, which answers 503 until Herald has started
      throw new IllegalStateException("tokens used before Herald has started");
    }
    return current;
  }

  public Issued issue(UUID userId, UUID accountId) {
    UUID tokenId = UUID.randomUUID();
    String token =
        jwt()
            .generateToken(
                new JsonObject().put("acc", accountId.toString()).put("jti", tokenId.toString()),
                new JWTOptions()
                    .setAlgorithm("HS256")
                    .setIssuer(config.issuer())
                    .setSubject(userId.toString())
                    .setExpiresInSeconds(config.ttlSeconds()));
    return new Issued(token, tokenId, config.ttlSeconds());
  }

  /**
   * Fails when the signature, issuer or expiry is wrong, a claim is missing (every token Herald
   * issues has {@code exp}, so one without it is refused), or the header has a {@code crit}
   * parameter: RFC 7515 section 4.1.11 says a token naming critical extensions must be refused by a
   * verifier that does not understand them, and Herald understands none.
   */
  public Future<Claims> verify(String token) {
    String refused = headerProblem(token);
    if (refused != null) {
      return Future.failedFuture(new IllegalArgumentException(refused));
    }
    return jwt()
        .authenticate(new TokenCredentials(token))
        .map(
            user -> {
              JsonObject p = user.principal();
              // The whole decoded payload; the provider copies only some claims to the principal.
              JsonObject payload = user.attributes().getJsonObject("accessToken", p);
              if (!(payload.getValue("exp") instanceof Number exp)) {
                throw new IllegalArgumentException("the token has no exp claim");
              }
              UUID userId = UUID.fromString(p.getString("sub"));
              UUID accountId = UUID.fromString(p.getString("acc"));
              UUID tokenId = UUID.fromString(p.getString("jti"));
              return new Claims(userId, accountId, tokenId, exp.longValue());
            });
  }

  /** Why the token's header is refused, or null when it is acceptable. */
  private static String headerProblem(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return "the token has no header";
    }
    JsonObject header;
    try {
      header =
          new JsonObject(
              new String(
                  Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return "the token header is not base64url JSON";
    }
    if (header.containsKey("crit")) {
      return "the token names critical header parameters Herald does not understand";
    }
    return null;
  }

  /** True when the text has the shape of a JWT (three dot-separated parts). */
  public static boolean looksLikeJwt(String token) {
    int first = token.indexOf('.');
    return first > 0 && token.indexOf('.', first + 1) > first + 1;
  }
}
