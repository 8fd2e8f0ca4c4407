package herald.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/** Handler adapters for responses that {@code Route.respond} does not cover. */
public final class Responses {
  private Responses() {}

  /** Runs {@code action}; answers 204 when it succeeds. */
  public static Handler<RoutingContext> noContent(Function<RoutingContext, Future<?>> action) {
    return ctx -> {
      Future<?> result;
      try {
        result = action.apply(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
        return;
      }
      result.onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    };
  }

  /** Runs {@code action}; answers {@code status} with its JSON when it succeeds. */
  public static Handler<RoutingContext> status(
      int status, Function<RoutingContext, Future<JsonObject>> action) {
    return ctx -> {
      Future<JsonObject> result;
      try {
        result = action.apply(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
        return;
      }
      result
          .onSuccess(
              json ->
                  ctx.response()
                      .setStatusCode(status)
                      .putHeader("Content-Type", "application/json")
                      .end(json.encode()))
          .onFailure(ctx::fail);
    };
  }

  /**
   * Fails with 404 when {@code value} is null, so "not yours" and "does not exist" look the same.
   */
  public static <T> T found(T value, String resource) {
    if (value == null) {
      throw ApiException.notFound(resource + " not found");
    }
    return value;
  }
}
