package herald.template;

import herald.audit.Actor;
import herald.channel.registry.Channels;
import herald.channel.sms.Encoding;
import herald.channel.sms.Sms;
import herald.contact.ContactStore;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.FieldError;
import herald.platform.http.JsonInput;
import herald.platform.http.PageRequest;
import herald.platform.http.QueryParams;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/templates}: the account's message templates, with categories, a public flag, a
 * usage count and previews rendered by {@link Renderer} with sample data or a contact.
 */
public final class TemplateRoutes {
  private static final Set<String> FIELDS =
      Set.of("name", "channel", "content", "category", "is_public");
  private static final Set<String> CHANNELS = Set.of("sms", "whatsapp", "voice");
  private static final Set<String> CATEGORIES = Set.copyOf(Template.CATEGORIES);
  static final int MAX_CONTENT = 4096;

  private final Vertx vertx;
  private final TemplateService service;
  private final TemplateStore templates;
  private final ContactStore contacts;

  public TemplateRoutes(Vertx vertx, Pool pool, TemplateStore templates, ContactStore contacts) {
    this.vertx = vertx;
    this.service = new TemplateService(pool);
    this.templates = templates;
    this.contacts = contacts;
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router.route().handler(bodies.standard());
    router
        .post("/")
        .handler(Scoped.require("templates:write"))
        .handler(Responses.status(201, this::create));
    router.get("/").handler(Scoped.require("templates:read")).respond(this::list);
    router.get("/categories").handler(Scoped.require("templates:read")).respond(this::categories);
    router.get("/:id").handler(Scoped.require("templates:read")).respond(this::get);
    router.put("/:id").handler(Scoped.require("templates:write")).respond(this::replace);
    router
        .delete("/:id")
        .handler(Scoped.require("templates:write"))
        .handler(Responses.noContent(this::delete));
    router.post("/:id/use").handler(Scoped.require("templates:read")).respond(this::use);
    router.post("/:id/preview").handler(Scoped.require("templates:read")).respond(this::preview);
    return router;
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    PageRequest page = PageRequest.from(ctx);
    QueryParams q = new QueryParams(ctx);
    String category = q.string("category", 32);
    String channel = q.string("channel", 16);
    Boolean isPublic = q.bool("is_public");
    q.check();
    if (category != null && !CATEGORIES.contains(category)) {
      throw ApiException.badRequest(
          "Invalid query parameters",
          List.of(
              new FieldError(
                  "category",
                  "invalid_value",
                  "category must be one of " + String.join(", ", Template.CATEGORIES))));
    }
    if (channel != null && !CHANNELS.contains(channel)) {
      throw ApiException.badRequest(
          "Invalid query parameters",
          List.of(
              new FieldError(
                  "channel", "invalid_value", "channel must be sms, whatsapp or voice")));
    }
    return templates
        .list(
            Requests.principal(ctx).accountId(),
            new TemplateStore.Filter(category, channel, isPublic),
            page)
        .map(rows -> page.page(rows, Template::id, Template::toJson));
  }

  private Future<JsonObject> categories(RoutingContext ctx) {
    return templates
        .categoryCounts(Requests.principal(ctx).accountId())
        .map(
            counts -> {
              JsonArray data = new JsonArray();
              Template.CATEGORIES.forEach(
                  c ->
                      data.add(
                          new JsonObject()
                              .put("name", c)
                              .put("template_count", counts.getLong(c))));
              return new JsonObject().put("data", data);
            });
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Template");
    return templates
        .get(Requests.principal(ctx).accountId(), id)
        .map(t -> Responses.found(t, "Template").toJson());
  }

  /** The body of a create or replace: name and content required, the rest defaulted. */
  private static Template read(RoutingContext ctx, UUID id, UUID accountId) {
    JsonInput in = JsonInput.of(ctx, FIELDS);
    String name = in.requiredString("name", 1, 200);
    String channel = in.optionalEnum("channel", CHANNELS);
    String content = in.requiredString("content", 1, MAX_CONTENT);
    String category = in.optionalEnum("category", CATEGORIES);
    boolean isPublic = in.optionalBoolean("is_public", false);
    in.check();
    return new Template(
        id,
        accountId,
        name,
        channel == null ? Channels.DEFAULT_CHANNEL : channel,
        content,
        category == null ? "other" : category,
        isPublic,
        0,
        null,
        null);
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    Actor actor = Actor.of(ctx);
    return service.create(actor, read(ctx, Ids.newId(), actor.accountId()));
  }

  private Future<JsonObject> replace(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Template");
    Actor actor = Actor.of(ctx);
    return service.replace(actor, read(ctx, id, actor.accountId()));
  }

  private Future<Void> delete(RoutingContext ctx) {
    return service.delete(Actor.of(ctx), Requests.pathId(ctx, "id", "Template"));
  }

  /** Counts one use; not audited, as it changes no setting. */
  private Future<JsonObject> use(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Template");
    return templates
        .use(Requests.principal(ctx).accountId(), id)
        .map(t -> Responses.found(t, "Template").toJson());
  }

  /**
   * Renders the template with {@code data} (or seed 003's {@code sample_data}) and/or the variables
   * of {@code contact_id} (data wins). A variable without value or default answers 422 naming it.
   */
  private Future<JsonObject> preview(RoutingContext ctx) {
    UUID id = Requests.pathId(ctx, "id", "Template");
    JsonInput in = JsonInput.of(ctx, Set.of("data", "sample_data", "contact_id"));
    JsonObject data = in.optionalObject("data");
    JsonObject sample = in.optionalObject("sample_data");
    String contactText = in.optionalString("contact_id", 1, 64);
    in.check();
    JsonObject given = new JsonObject();
    if (sample != null) {
      given.mergeIn(sample);
    }
    if (data != null) {
      given.mergeIn(data);
    }
    UUID accountId = Requests.principal(ctx).accountId();
    UUID contactId = contactText == null ? null : Ids.parse(contactText);
    return templates
        .get(accountId, id)
        .compose(
            template -> {
              Responses.found(template, "Template");
              if (contactText == null) {
                return Future.succeededFuture(render(template, Renderer.Variables.of(given), null));
              }
              Future<herald.contact.Contact> contact =
                  contactId == null
                      ? Future.succeededFuture(null)
                      : contacts.get(accountId, contactId);
              return contact.map(
                  c -> {
                    if (c == null) {
                      throw ApiException.validation(
                          "contact_id", "not_found", "no such contact: " + contactText);
                    }
                    return render(template, Renderer.Variables.of(c).with(given), c.id());
                  });
            });
  }

  private static JsonObject render(Template template, Renderer.Variables vars, UUID contactId) {
    Renderer.Result result = Renderer.render(template.content(), vars);
    if (!result.missing().isEmpty()) {
      throw ApiException.validation(
          result.missing().stream()
              .map(
                  name ->
                      new FieldError(
                          "data." + name,
                          "missing_variable",
                          "no value for {"
                              + name
                              + "} and no default (write {"
                              + name
                              + "|default})"))
              .toList());
    }
    String text = result.text();
    JsonObject out =
        new JsonObject()
            .put("template_id", template.id().toString())
            .put("contact_id", contactId == null ? null : contactId.toString())
            .put("channel", template.channel())
            .put("rendered", text)
            .put("characters", text.codePointCount(0, text.length()));
    if (template.channel().equals(Sms.CHANNEL)) {
      Encoding encoding = Encoding.detect(text);
      out.put("encoding", encoding.wireName()).put("segments", encoding.segments(text));
    }
    return out;
  }
}
