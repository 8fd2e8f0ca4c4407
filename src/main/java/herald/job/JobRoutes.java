package herald.job;

import herald.platform.csv.CsvCells;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.CsvDownload;
import herald.platform.http.FieldError;
import herald.platform.http.PageRequest;
import herald.platform.http.QueryParams;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/jobs}: the account's background jobs (contact imports), their progress and
 * counters, and {@code errors.csv} with every refused row, streamed from a database cursor. Contact
 * imports are the only jobs so far, so reading them needs {@code contacts:read}.
 */
public final class JobRoutes {
  private static final Set<String> TYPES = Set.of(Job.CONTACTS_IMPORT);
  private static final Set<String> STATES = Set.of("queued", "running", "completed", "failed");

  private final Vertx vertx;
  private final JobStore jobs;

  public JobRoutes(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.jobs = new JobStore(pool);
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router.get("/").handler(Scoped.require("contacts:read")).respond(this::list);
    router.get("/:id").handler(Scoped.require("contacts:read")).respond(this::get);
    router.get("/:id/errors.csv").handler(Scoped.require("contacts:read")).handler(this::errors);
    return router;
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    QueryParams q = new QueryParams(ctx);
    String type = q.string("type", 64);
    String state = q.string("state", 16);
    q.check();
    if (type != null && !TYPES.contains(type)) {
      throw invalid("type", "type must be " + String.join(" or ", TYPES));
    }
    if (state != null && !STATES.contains(state)) {
      throw invalid("state", "state must be queued, running, completed or failed");
    }
    return jobs.list(Requests.principal(ctx).accountId(), new JobStore.Filter(type, state), page)
        .map(rows -> page.page(rows, Job::id, Job::toJson));
  }

  private static ApiException invalid(String field, String detail) {
    return ApiException.badRequest(
        "Invalid query parameters", List.of(new FieldError(field, "invalid_value", detail)));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Job");
    return jobs.get(Requests.principal(ctx).accountId(), id)
        .map(job -> Responses.found(job, "Job").toJson());
  }

  /** {@code row,line,column,reason}, one line per problem, in file order. */
  private void errors(RoutingContext ctx) {
    UUID id;
    try {
      id = Requests.pathId(ctx, "id", "Job");
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    }
    HttpServerResponse response = ctx.response();
    jobs.get(Requests.principal(ctx).accountId(), id)
        .compose(
            job -> {
              Responses.found(job, "Job");
              return jobs.streamErrors(
                  id,
                  rows -> {
                    response
                        .setChunked(true)
                        .putHeader("Content-Type", "text/csv; charset=utf-8")
                        .putHeader(
                            "Content-Disposition",
                            "attachment; filename=\"job-" + id + "-errors.csv\"");
                    response.write("row,line,column,reason\r\n");
                    return CsvDownload.pipe(rows, response, JobRoutes::errorLine);
                  });
            })
        .onSuccess(v -> response.end())
        .onFailure(
            err -> {
              if (response.headWritten()) {
                response.reset(); // a cut-off file must not pass for a complete one
              } else {
                ctx.fail(err);
              }
            });
  }

  private static String errorLine(Row row) {
    return row.getLong("row_number")
        + ","
        + row.getLong("line")
        + ","
        + CsvCells.quote(row.getString("column_name"))
        + ","
        + CsvCells.quote(row.getString("reason"))
        + "\r\n";
  }
}
