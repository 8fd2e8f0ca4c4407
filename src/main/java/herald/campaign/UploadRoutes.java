package herald.campaign;

import herald.account.AccountStore;
import herald.audit.Actor;
import herald.platform.Platform;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import herald.platform.http.JsonInput;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import herald.platform.http.Uploads;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Campaigns from CSV files (seeds 000 and 002): {@code GET /campaigns/csv-template}, {@code POST
 * /campaigns/preview-csv} and {@code POST /campaigns/upload}. The file comes as the {@code file}
 * part of a multipart form or as the whole body ({@code text/csv}); either way it is streamed to
 * disk ({@link Uploads}) and read a chunk at a time on a worker, never whole in memory. Other
 * fields come as form fields or query parameters.
 */
public final class UploadRoutes {
  static final String TEMPLATE =
      "phone_number,name,first_name,last_name,email,timezone,company\r\n"
          + "+14155550101,Ann Smith,Ann,Smith,ann@example.com,America/Los_Angeles,Acme\r\n"
          + "+447911123456,Bob Jones,Bob,Jones,bob@example.com,Europe/London,Globex\r\n";
  static final int DEFAULT_PREVIEW = 20;
  static final int MAX_PREVIEW = 100;
  private static final Set<String> UPLOAD_FIELDS =
      Set.of(
          "name",
          "message",
          "template_id",
          "sender_id",
          "scheduled_at",
          "rate_per_second",
          "delay_between_messages_ms");

  /** Seed 000's names for the same fields. */
  private static final Map<String, String> ALIASES =
      Map.of("campaign_name", "name", "message_template", "message");

  private static final Set<String> CSV_TYPES =
      Set.of(
          "text/csv",
          "application/csv",
          "text/plain",
          "application/vnd.ms-excel",
          "application/octet-stream");

  private final Vertx vertx;
  private final Platform platform;
  private final Pool pool;
  private final AccountStore accounts;
  private final CampaignService service;

  UploadRoutes(Vertx vertx, Platform platform) {
    this.vertx = vertx;
    this.platform = platform;
    this.pool = platform.pool();
    this.accounts = new AccountStore(pool);
    this.service = new CampaignService(vertx, pool, platform.clock());
  }

  void mount(Router router) {
    router.get("/csv-template").handler(Scoped.require("campaigns:read")).handler(this::template);
    router.post("/preview-csv").handler(Scoped.require("campaigns:read")).respond(this::preview);
    router
        .post("/upload")
        .handler(Scoped.require("campaigns:write"))
        .handler(Responses.status(201, this::upload));
  }

  private void template(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"campaign_template.csv\"")
        .end(TEMPLATE);
  }

  private Future<JsonObject> preview(RoutingContext ctx) {
    int limit = previewLimit(ctx);
    return receive(ctx).compose(upload -> preview(ctx, upload, limit));
  }

  private Future<JsonObject> preview(RoutingContext ctx, Uploads.Upload upload, int limit) {
    Path file = upload.file();
    String message = first(ctx, upload.form(), "message");
    if (message != null && (message.isBlank() || message.length() > Expansion.MAX_BODY)) {
      throw ApiException.validation(
          "message", "invalid_value", "'message' must be text of 1 to 1600 characters");
    }
    return accounts
        .getCached(Actor.of(ctx).accountId())
        .compose(
            account ->
                vertx.executeBlocking(
                    () -> CsvPreview.read(file, CampaignRoutes.region(account), limit, message),
                    false));
  }

  private static int previewLimit(RoutingContext ctx) {
    String text = ctx.queryParams().get("limit");
    if (text == null) {
      return DEFAULT_PREVIEW;
    }
    int n = text.matches("[0-9]{1,4}") ? Integer.parseInt(text) : -1;
    if (n < 1 || n > MAX_PREVIEW) {
      throw ApiException.badRequest(
          "Invalid query parameters",
          List.of(
              new FieldError(
                  "limit",
                  "invalid_value",
                  "limit must be a whole number from 1 to " + MAX_PREVIEW)));
    }
    return n;
  }

  /**
   * Creates a campaign whose recipients are the file's rows, in one transaction: a draft, a
   * scheduled campaign with {@code scheduled_at}, or a running one with {@code start=true}.
   */
  private Future<JsonObject> upload(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    return receive(ctx).compose(upload -> upload(ctx, actor, upload));
  }

  private Future<JsonObject> upload(RoutingContext ctx, Actor actor, Uploads.Upload upload) {
    Path file = upload.file();
    JsonObject fields = fields(ctx, upload.form());
    boolean start = start(fields.remove("start"));
    JsonInput in = JsonInput.of(fields, UPLOAD_FIELDS);
    return accounts
        .getCached(actor.accountId())
        .compose(
            account -> {
              String region = CampaignRoutes.region(account);
              CampaignSpec spec =
                  CampaignInput.read(in, region, CampaignRoutes.zone(account)).spec();
              return CampaignChecks.references(pool, actor.accountId(), spec)
                  .compose(v -> CampaignChecks.callFlow(pool, actor.accountId(), spec))
                  .compose(
                      resolved ->
                          vertx
                              .executeBlocking(() -> RecipientCsv.open(file, region), false)
                              .map(csv -> Map.entry(resolved, csv)))
                  .compose(
                      both ->
                          service
                              .createFromCsv(actor, both.getKey(), start, both.getValue())
                              .eventually(
                                  () ->
                                      vertx.executeBlocking(() -> close(both.getValue()), false)));
            });
  }

  private static Void close(RecipientCsv csv) {
    csv.close();
    return null;
  }

  /**
   * Streams the file (the form's {@code file} part, or the whole body) to the uploads directory,
   * where it lives until the response ends; 415 for a body that cannot be CSV, 413 over {@code
   * http.upload_body_limit_bytes}, 422 for a form without a file.
   */
  private Future<Uploads.Upload> receive(RoutingContext ctx) {
    Path dir = platform.config().dataDir().resolve("uploads");
    Path file = dir.resolve("campaign-" + Ids.newId() + ".csv");
    return vertx
        .fileSystem()
        .mkdirs(dir.toString())
        .compose(
            v ->
                Uploads.receive(
                    ctx,
                    file,
                    "file",
                    CSV_TYPES,
                    platform.config().http().uploadBodyLimitBytes(),
                    platform.config().http().uploadIdleTimeoutSeconds()))
        .onSuccess(upload -> ctx.addEndHandler(v -> vertx.fileSystem().delete(file.toString())));
  }

  /** A form field, else a query parameter; null when absent or empty. */
  private static String first(RoutingContext ctx, MultiMap form, String name) {
    String value = form.get(name);
    if (value == null || value.isEmpty()) {
      value = ctx.queryParams().get(name);
    }
    return value == null || value.isEmpty() ? null : value;
  }

  /** Form fields and query parameters as the JSON a campaign is read from (numbers as numbers). */
  private static JsonObject fields(RoutingContext ctx, MultiMap form) {
    JsonObject out = new JsonObject();
    for (MultiMap source : List.of(form, ctx.queryParams())) {
      for (String key : source.names()) {
        String name = ALIASES.getOrDefault(key, key);
        String value = source.get(key);
        if (value != null && !value.isEmpty() && !out.containsKey(name)) {
          out.put(name, typed(name, value));
        }
      }
    }
    return out;
  }

  private static Object typed(String name, String value) {
    if (name.equals("rate_per_second") && value.matches("[0-9]{1,9}(\\.[0-9]{1,9})?")) {
      return Double.valueOf(value);
    }
    if (name.equals("delay_between_messages_ms") && value.matches("[0-9]{1,9}")) {
      return Integer.valueOf(value);
    }
    return value;
  }

  private static boolean start(Object value) {
    if (value == null) {
      return false;
    }
    return switch (value.toString().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default ->
          throw ApiException.validation("start", "invalid_value", "start must be true or false");
    };
  }
}
