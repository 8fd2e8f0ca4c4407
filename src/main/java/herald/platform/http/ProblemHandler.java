package herald.platform.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: writes every error as RFC 9457 {@code application/problem+json}. Client
 * errors carry their detail and field errors; anything unexpected is logged with its stack trace
 * and request id and answered with an opaque 500.
 */
public final class ProblemHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);
  public static final String CONTENT_TYPE = "application/problem+json";

  @Override
  public void handle(RoutingContext ctx) {
    ApiException problem = toProblem(ctx);
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (problem.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"herald\"");
    }
    if (problem.retryAfterSeconds() != null) {
      ctx.response().putHeader("Retry-After", Long.toString(problem.retryAfterSeconds()));
    }
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", CONTENT_TYPE)
        .end(body(problem, ctx).encode());
  }

  /**
   * The HTTP server's handler of requests that Netty could not decode and that never reach the
   * router: a request line over the limit (414), headers over the limit (431), or a malformed
   * request such as a control character in a header (400). Answers problem+json like every other
   * error, then closes the connection, since what follows on it cannot be trusted to be a request.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ApiException problem =
        cause instanceof TooLongHttpLineException
            ? new ApiException(
                414, "uri-too-long", "URI too long", "The request line is longer than allowed")
            : cause instanceof TooLongHttpHeaderException
                ? new ApiException(
                    431,
                    "headers-too-large",
                    "Request header fields too large",
                    "The request headers are larger than allowed")
                : ApiException.badRequest(
                    "Malformed request: the request line or a header cannot be read (a control"
                        + " character, a malformed line or an invalid name)");
    String requestId = UUID.randomUUID().toString();
    JsonObject json =
        new JsonObject()
            .put("type", "urn:herald:problem:" + problem.code())
            .put("title", problem.title())
            .put("status", problem.status())
            .put("detail", problem.getMessage())
            .put("request_id", requestId);
    LOG.debug("Undecodable request answered {} request_id={}", problem.status(), requestId, cause);
    request
        .response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("X-Request-Id", requestId)
        .putHeader("Connection", "close")
        .end(json.encode())
        .onComplete(done -> request.connection().close());
  }

  static JsonObject body(ApiException problem, RoutingContext ctx) {
    JsonObject json =
        new JsonObject()
            .put("type", "urn:herald:problem:" + problem.code())
            .put("title", problem.title())
            .put("status", problem.status())
            .put("detail", problem.getMessage())
            .put("instance", ctx.request().path())
            .put("request_id", Requests.requestId(ctx));
    if (!problem.errors().isEmpty()) {
      JsonArray errors = new JsonArray();
      problem.errors().forEach(e -> errors.add(e.toJson()));
      json.put("errors", errors);
    }
    return json;
  }

  private static ApiException toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof DecodeException) {
      return ApiException.badRequest("Request body is not valid JSON");
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    return switch (status) {
      case 400 -> ApiException.badRequest("Malformed request");
      case 401 -> ApiException.unauthorized("Authentication required");
      case 403 -> ApiException.forbidden("Not allowed");
      case 404 -> ApiException.notFound("No such resource: " + ctx.request().path());
      case 405 ->
          new ApiException(
              405,
              "method-not-allowed",
              "Method not allowed",
              ctx.request().method() + " is not supported on " + ctx.request().path());
      case 413 -> ApiException.payloadTooLarge("Request body exceeds the configured limit");
      case 415 -> ApiException.unsupportedMediaType("Unsupported content type");
      default -> {
        LOG.error(
            "Unhandled failure on {} {} request_id={}",
            ctx.request().method(),
            ctx.request().path(),
            Requests.requestId(ctx),
            failure);
        yield new ApiException(
            500,
            "internal",
            "Internal error",
            "The request failed on our side; quote request id " + Requests.requestId(ctx));
      }
    };
  }
}
