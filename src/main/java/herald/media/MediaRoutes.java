package herald.media;

import herald.channel.whatsapp.WhatsApp;
import herald.platform.Platform;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.http.Bodies;
import herald.platform.http.Requests;
import herald.platform.http.Responses;
import herald.platform.http.Scoped;
import herald.platform.http.Uploads;
import herald.sender.Sender;
import herald.sender.SenderStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/media}: upload a file for a sender ({@code POST}, multipart with a {@code file}
 * part and an optional {@code sender_id}, the account's default WhatsApp sender otherwise), read a
 * media record, and download the bytes of any of the account's media, uploaded or received.
 */
public final class MediaRoutes {
  private final Vertx vertx;
  private final Platform platform;
  private final MediaStore store;
  private final MediaService service;
  private final SenderStore senders;

  public MediaRoutes(Vertx vertx, Platform platform, MediaService service) {
    this.vertx = vertx;
    this.platform = platform;
    this.store = new MediaStore(platform.pool());
    this.service = service;
    this.senders = new SenderStore(platform.pool());
  }

  public Router router(Bodies bodies) {
    Router router = Router.router(vertx);
    router
        .post("/")
        .handler(Scoped.require("messages:send"))
        .handler(Responses.status(201, this::upload));
    router.route().handler(bodies.standard());
    router.get("/:id").handler(Scoped.require("messages:read")).respond(this::get);
    router.get("/:id/content").handler(Scoped.require("messages:read")).handler(this::content);
    return router;
  }

  private Future<JsonObject> upload(RoutingContext ctx) {
    UUID accountId = Requests.principal(ctx).accountId();
    Path dir = service.directory();
    Path file = dir.resolve("upload-" + Ids.newId());
    return vertx
        .fileSystem()
        .mkdirs(dir.toString())
        .compose(
            v ->
                Uploads.receive(
                    ctx,
                    file,
                    "file",
                    Set.of(),
                    MediaKind.MAX_BYTES,
                    platform.config().http().uploadIdleTimeoutSeconds()))
        .compose(
            upload ->
                sender(accountId, upload.form().get("sender_id"))
                    .recover(
                        err ->
                            vertx
                                .fileSystem()
                                .delete(file.toString())
                                .transform(x -> Future.failedFuture(err)))
                    .compose(
                        sender -> service.upload(sender, file, upload.size(), upload.fileName())))
        .map(Media::toJson);
  }

  /** The named sender of the account, or its default WhatsApp sender; 422 when there is none. */
  private Future<Sender> sender(UUID accountId, String senderId) {
    if (senderId != null && !senderId.isEmpty()) {
      UUID id = Ids.parse(senderId);
      if (id == null) {
        return Future.failedFuture(
            ApiException.validation(
                "sender_id", "invalid_value", "'sender_id' must be a sender id"));
      }
      return senders
          .getCached(accountId, id)
          .compose(
              s ->
                  s == null || !s.active()
                      ? Future.failedFuture(
                          ApiException.validation(
                              "sender_id", "unknown_sender", "no active sender with this id"))
                      : Future.succeededFuture(s));
    }
    return senders
        .defaultForCached(accountId, WhatsApp.CHANNEL)
        .compose(
            s ->
                s == null || !s.active()
                    ? Future.failedFuture(
                        ApiException.validation(
                            "sender_id",
                            "no_sender",
                            "the account has no default whatsapp sender; pass sender_id"))
                    : Future.succeededFuture(s));
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    UUID accountId = Requests.principal(ctx).accountId();
    UUID id = Requests.pathId(ctx, "id", "Media");
    return store.get(accountId, id).map(m -> Responses.found(m, "Media").toJson());
  }

  private void content(RoutingContext ctx) {
    UUID accountId = Requests.principal(ctx).accountId();
    UUID id = Requests.pathId(ctx, "id", "Media");
    store
        .get(accountId, id)
        .compose(
            m -> {
              Responses.found(m, "Media");
              return ctx.response()
                  .putHeader("Content-Type", m.mimeType())
                  .putHeader("X-Content-Type-Options", "nosniff")
                  .putHeader("Content-Disposition", "attachment; filename=\"" + m.id() + "\"")
                  .sendFile(MediaStore.file(platform.config().dataDir(), id).toString());
            })
        .onFailure(ctx::fail);
  }
}
