package herald.webhook;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.event.EventQueue;
import herald.event.EventType;
import herald.platform.bus.Addresses;
import herald.platform.config.WebhookConfig;
import herald.platform.database.Ids;
import herald.platform.database.Outbox;
import herald.platform.http.ApiException;
import herald.platform.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.UUID;
import java.util.function.Function;

/**
 * Creates, changes and deletes webhook endpoints, rotates their secrets and queues test events:
 * each change in one transaction with its audit entry, then, once committed, a {@link
 * Addresses#WEBHOOKS_CHANGED} publish so the dispatchers reload the endpoint.
 */
final class EndpointService {
  private final Vertx vertx;
  private final Pool pool;
  private final WebhookConfig config;
  private final EndpointStore endpoints;
  private final Targets targets;

  EndpointService(Vertx vertx, Pool pool, WebhookConfig config, EndpointStore endpoints) {
    this.vertx = vertx;
    this.pool = pool;
    this.config = config;
    this.endpoints = endpoints;
    this.targets = new Targets(vertx, config.allowPrivateTargets());
  }

  /** Creates an endpoint after the target and sender checks (422); it carries its new secret. */
  Future<Endpoint> create(Actor actor, EndpointInput input) {
    Endpoint endpoint = input.create(Ids.newId(), actor.accountId(), config);
    return validateTarget(input, actor)
        .compose(
            v ->
                pool.withTransaction(
                    tx ->
                        // from now on the account's events are queued for the webhook consumer
                        Outbox.subscribe(tx, EventQueue.WEBHOOKS, actor.accountId())
                            .compose(v2 -> EndpointStore.insert(tx, endpoint))
                            .compose(saved -> audit(tx, actor, "create", null, saved))))
        .map(this::changed);
  }

  /** Applies {@code input} to the endpoint: 404 when not the account's, then the target checks. */
  Future<Endpoint> update(Actor actor, UUID id, EndpointInput input) {
    return endpoints
        .get(actor.accountId(), id)
        .compose(
            found -> {
              Responses.found(found, "Webhook");
              return validateTarget(input, actor);
            })
        .compose(v -> change(actor, id, "update", input::applyTo));
  }

  /** Enables a disabled endpoint, or disables an enabled one ({@code disabled_by_user}). */
  Future<Endpoint> toggle(Actor actor, UUID id) {
    return change(
        actor,
        id,
        "toggle",
        before ->
            before.active()
                ? before.withActive(false, "disabled_by_user")
                : before.withActive(true, null));
  }

  /** Deletes the endpoint; 404 when not the account's. */
  Future<Void> delete(Actor actor, UUID id) {
    return pool.withTransaction(
            tx ->
                EndpointStore.getForUpdate(tx, actor.accountId(), id)
                    .compose(
                        before -> {
                          Responses.found(before, "Webhook");
                          return EndpointStore.delete(tx, actor.accountId(), id)
                              .compose(
                                  v ->
                                      AuditStore.record(
                                          tx,
                                          actor,
                                          "delete",
                                          "webhook",
                                          id,
                                          before.toJson(),
                                          null));
                        }))
        .onSuccess(v -> vertx.eventBus().publish(Addresses.WEBHOOKS_CHANGED, id.toString()));
  }

  /**
   * Queues a {@code webhook.test} event for an enabled endpoint (409 when disabled); answers the
   * event id, type and endpoint id.
   */
  Future<JsonObject> test(Actor actor, UUID id) {
    return pool.withTransaction(
        tx ->
            EndpointStore.getForUpdate(tx, actor.accountId(), id)
                .compose(
                    endpoint -> {
                      Responses.found(endpoint, "Webhook");
                      if (!endpoint.active()) {
                        throw ApiException.conflict(
                            "This endpoint is disabled; enable it before sending a test");
                      }
                      return DeliveryStore.appendTest(tx, endpoint)
                          .compose(
                              eventId ->
                                  AuditStore.record(
                                          tx,
                                          actor,
                                          "test",
                                          "webhook",
                                          id,
                                          null,
                                          new JsonObject().put("event_id", eventId.toString()))
                                      .map(
                                          v ->
                                              new JsonObject()
                                                  .put("event_id", eventId.toString())
                                                  .put("type", EventType.WEBHOOK_TEST.type())
                                                  .put("webhook_id", id.toString())));
                    }));
  }

  /** Gives the endpoint {@code secret}; the previous one stays valid for the configured overlap. */
  Future<Endpoint> rotate(Actor actor, UUID id, String secret) {
    return pool.withTransaction(
            tx ->
                EndpointStore.getForUpdate(tx, actor.accountId(), id)
                    .compose(
                        before -> {
                          Responses.found(before, "Webhook");
                          return EndpointStore.rotate(
                                  tx, before, secret, config.secretRotationOverlap())
                              .compose(saved -> audit(tx, actor, "rotate_secret", before, saved));
                        }))
        .map(this::changed);
  }

  /** The SSRF check and the sender's tenancy: both async, both 422 on failure. */
  private Future<Void> validateTarget(EndpointInput input, Actor actor) {
    Future<String> target =
        input.url() == null ? Future.succeededFuture() : targets.check(input.url());
    Future<Boolean> sender =
        input.senderId() == null
            ? Future.succeededFuture(true)
            : endpoints.senderExists(actor.accountId(), input.senderId());
    return Future.all(target, sender)
        .compose(
            both -> {
              if (target.result() != null) {
                return Future.failedFuture(
                    ApiException.validation("url", "forbidden_target", target.result()));
              }
              if (!sender.result()) {
                return Future.failedFuture(
                    ApiException.validation(
                        "sender_id", "not_found", "sender_id is not one of your senders"));
              }
              return Future.succeededFuture();
            });
  }

  /** Loads, changes and saves one endpoint in a transaction with its audit entry. */
  private Future<Endpoint> change(
      Actor actor, UUID id, String action, Function<Endpoint, Endpoint> edit) {
    return pool.withTransaction(
            tx ->
                EndpointStore.getForUpdate(tx, actor.accountId(), id)
                    .compose(
                        before -> {
                          Responses.found(before, "Webhook");
                          return EndpointStore.update(tx, edit.apply(before))
                              .compose(saved -> audit(tx, actor, action, before, saved));
                        }))
        .map(this::changed);
  }

  private static Future<Endpoint> audit(
      SqlClient tx, Actor actor, String action, Endpoint before, Endpoint after) {
    return AuditStore.record(
            tx,
            actor,
            action,
            "webhook",
            after.id(),
            before == null ? null : before.toJson(),
            after.toJson())
        .map(after);
  }

  private Endpoint changed(Endpoint endpoint) {
    vertx.eventBus().publish(Addresses.WEBHOOKS_CHANGED, endpoint.id().toString());
    return endpoint;
  }
}
