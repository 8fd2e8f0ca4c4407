package herald.auth;

import herald.platform.config.JwtConfig;
import herald.platform.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Instant;
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
      throw ApiException.unavailable("Herald is starting");
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

  /** Fails when the signature, issuer or expiry is wrong or a claim is missing. */
  public Future<Claims> verify(String token) {
    return jwt()
        .authenticate(new TokenCredentials(token))
        .map(
            user -> {
              JsonObject p = user.principal();
              UUID userId = UUID.fromString(p.getString("sub"));
              UUID accountId = UUID.fromString(p.getString("acc"));
              UUID tokenId = UUID.fromString(p.getString("jti"));
              long exp = p.getLong("exp", Instant.now().getEpochSecond());
              return new Claims(userId, accountId, tokenId, exp);
            });
  }

  /** True when the text has the shape of a JWT (three dot-separated parts). */
  public static boolean looksLikeJwt(String token) {
    int first = token.indexOf('.');
    return first > 0 && token.indexOf('.', first + 1) > first + 1;
  }
}
