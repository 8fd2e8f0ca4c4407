package herald.compat.smsaiagent;

import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import herald.platform.http.Requests;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * Renders failures under the compatibility prefix in seed 004's error shape ({@code error}, {@code
 * detail}, {@code fields} as field to list of messages, {@code timestamp}, {@code request_id}).
 * Herald's validation problems (422) answer 400 here, as the seed documents for validation errors.
 */
final class SeedErrors implements Handler<RoutingContext> {
  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    int status;
    String error;
    String detail;
    JsonObject fields = null;
    Long retryAfter = null;
    if (ctx.failure() instanceof ApiException e) {
      status = e.status() == 422 ? 400 : e.status();
      error = status == 400 ? "validation_error" : e.code();
      detail = e.getMessage();
      retryAfter = e.retryAfterSeconds();
      if (!e.errors().isEmpty()) {
        fields = new JsonObject();
        for (FieldError f : e.errors()) {
          JsonArray list = fields.getJsonArray(f.field());
          if (list == null) {
            list = new JsonArray();
            fields.put(f.field(), list);
          }
          list.add(f.detail());
        }
      }
    } else if (ctx.failure() == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      status = ctx.statusCode();
      error = status == 404 ? "not_found" : "bad_request";
      detail = status == 404 ? "Not found" : "The request could not be handled";
    } else {
      status = 500;
      error = "internal_error";
      detail = "Internal server error";
    }
    JsonObject body = new JsonObject().put("error", error).put("detail", detail);
    if (fields != null) {
      body.put("fields", fields);
    }
    if (retryAfter != null) {
      body.put("retry_after", retryAfter);
      ctx.response().putHeader("Retry-After", String.valueOf(retryAfter));
    }
    body.put("timestamp", Instant.now().toString()).put("request_id", Requests.requestId(ctx));
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
