package herald.campaign;

import herald.audit.Actor;
import herald.audit.AuditStore;
import herald.event.EventType;
import herald.platform.bus.Addresses;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Creates, edits and deletes campaigns and adds their inline or uploaded recipients: each change in
 * one transaction with its audit entry, then, once committed, a {@link Addresses#CAMPAIGNS_CHANGED}
 * publish so the campaign engine looks at the campaign at once. Control actions (start, pause, ...)
 * are in {@link CampaignControl}.
 */
final class CampaignService {
  private final Vertx vertx;
  private final Pool pool;
  private final Clock clock;

  CampaignService(Vertx vertx, Pool pool, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.clock = clock;
  }

  /**
   * Creates a draft, or a scheduled campaign when it has a start time or a recurrence (then it must
   * be startable); 422 when a referenced sender, template or group is not the account's.
   */
  Future<Campaign> create(Actor actor, CampaignInput.Parsed parsed) {
    return withProviderMedia(actor.accountId(), parsed.spec())
        .compose(spec -> CampaignChecks.callFlow(pool, actor.accountId(), spec))
        .compose(spec -> create(actor, spec, parsed.recipients()));
  }

  /**
   * The spec with the provider's id of the file its content sends by Herald media id (WhatsApp
   * media campaigns); 422 {@code unknown_media} unless the file is the account's, suits the message
   * type and was uploaded for the campaign's one sender.
   */
  private Future<CampaignSpec> withProviderMedia(UUID accountId, CampaignSpec spec) {
    herald.channel.ContentFormat format =
        spec.content() == null
            ? null
            : herald.channel.registry.Channels.contentFormat(spec.channel());
    herald.channel.ContentFormat.MediaRef ref =
        format == null ? null : format.mediaRef(spec.content());
    if (ref == null) {
      return Future.succeededFuture(spec);
    }
    return new herald.media.MediaStore(pool)
        .get(accountId, ref.mediaId())
        .map(
            media -> {
              if (media == null
                  || media.providerMediaId() == null
                  || spec.senderIds().isEmpty()
                  || !spec.senderIds().stream().allMatch(media.senderId()::equals)
                  || !herald.media.MediaKind.sendableAs(media.mimeType(), ref.messageType())) {
                throw ApiException.validation(
                    "content." + ref.messageType() + ".media_id",
                    "unknown_media",
                    "no "
                        + ref.messageType()
                        + " file with this id was uploaded for the campaign's sender"
                        + " (name that one sender in 'sender_ids')");
              }
              return spec.withContent(
                  format.withProviderMedia(spec.content(), media.providerMediaId()));
            });
  }

  private Future<Campaign> create(
      Actor actor, CampaignSpec spec, List<RecipientStore.NewRecipient> recipients) {
    boolean scheduled = spec.recurrence() != null || spec.startAt() != null;
    Instant nextRun = spec.recurrence() == null ? null : spec.recurrence().next(clock.instant());
    UUID id = Ids.newId();
    return CampaignChecks.references(pool, actor.accountId(), spec)
        .compose(
            v ->
                pool.withTransaction(
                    tx ->
                        CampaignStore.insert(
                                tx,
                                id,
                                actor.accountId(),
                                null,
                                scheduled ? "scheduled" : "draft",
                                spec,
                                nextRun)
                            .compose(c -> addRecipients(tx, c, recipients).map(c))
                            .compose(
                                c ->
                                    scheduled
                                        ? CampaignChecks.startable(tx, c).map(c)
                                        : Future.succeededFuture(c))
                            .compose(c -> CampaignStore.getForUpdate(tx, c.accountId(), c.id()))
                            .compose(
                                c ->
                                    AuditStore.record(
                                            tx, actor, "create", "campaign", id, null, c.toJson())
                                        .map(c))))
        .map(this::changed);
  }

  /**
   * Adds recipients to a draft or scheduled campaign (409 otherwise, 404 when not the account's);
   * answers how many were received, added, dropped as duplicates and marked invalid.
   */
  Future<JsonObject> addRecipients(
      Actor actor, UUID id, List<RecipientStore.NewRecipient> recipients) {
    return pool.withTransaction(
        tx ->
            CampaignStore.getForUpdate(tx, actor.accountId(), id)
                .compose(
                    c -> {
                      Responses.found(c, "Campaign");
                      if (!c.status().equals("draft") && !c.status().equals("scheduled")) {
                        throw ApiException.conflict(
                            "Recipients can be added only before a campaign starts");
                      }
                      boolean listed = recipients.size() <= RecipientStore.LISTED;
                      List<Long> seqs = new java.util.ArrayList<>();
                      Future<Integer> adding =
                          listed
                              ? RecipientStore.addListed(tx, c.id(), recipients)
                                  .map(
                                      list -> {
                                        seqs.addAll(list);
                                        return list.size();
                                      })
                              : RecipientStore.add(tx, c.id(), recipients);
                      return adding.compose(
                          added -> {
                            int duplicates = recipients.size() - added;
                            long invalid =
                                recipients.stream().filter(r -> r.skipReason() != null).count();
                            Future<Void> counted =
                                duplicates == 0
                                    ? Future.succeededFuture()
                                    : CampaignStore.countSkipped(
                                        tx, c.id(), new JsonObject().put("duplicate", duplicates));
                            return counted.map(
                                v ->
                                    new JsonObject()
                                        .put("received", recipients.size())
                                        .put("added", added)
                                        .put("duplicates", duplicates)
                                        .put("invalid", invalid)
                                        .put(
                                            "seqs",
                                            listed
                                                ? new io.vertx.core.json.JsonArray(
                                                    new java.util.ArrayList<>(seqs))
                                                : null));
                          });
                    }));
  }

  /**
   * Removes one recipient of a draft or scheduled campaign (409 once it has started, 404 when the
   * campaign is not the account's or has no such recipient), with its audit record.
   */
  Future<Void> removeRecipient(Actor actor, UUID id, long seq) {
    return pool.withTransaction(
        tx ->
            CampaignStore.getForUpdate(tx, actor.accountId(), id)
                .compose(
                    c -> {
                      Responses.found(c, "Campaign");
                      if (!c.status().equals("draft") && !c.status().equals("scheduled")) {
                        throw ApiException.conflict(
                            "Recipients can be removed only before a campaign starts");
                      }
                      return RecipientStore.delete(tx, id, seq);
                    })
                .compose(
                    removed -> {
                      if (!removed) {
                        throw ApiException.notFound("Recipient not found");
                      }
                      return AuditStore.record(
                          tx,
                          actor,
                          "update",
                          "campaign",
                          id,
                          new JsonObject().put("recipient_seq", seq),
                          new JsonObject().put("recipient_removed", seq));
                    }));
  }

  /** Adds inline recipients in {@code tx}, counting the duplicates it dropped. */
  static Future<Void> addRecipients(
      SqlClient tx, Campaign campaign, List<RecipientStore.NewRecipient> recipients) {
    if (recipients == null || recipients.isEmpty()) {
      return Future.succeededFuture();
    }
    return RecipientStore.add(tx, campaign.id(), recipients)
        .compose(
            added ->
                added == recipients.size()
                    ? Future.succeededFuture()
                    : CampaignStore.countSkipped(
                        tx,
                        campaign.id(),
                        new JsonObject().put("duplicate", recipients.size() - added)));
  }

  /**
   * Replaces the whole spec of a draft, scheduled or paused campaign (409 otherwise); inline
   * recipients may be replaced only before it starts (422 once paused).
   */
  Future<Campaign> replace(Actor actor, UUID id, CampaignInput.Parsed given) {
    return CampaignChecks.references(pool, actor.accountId(), given.spec())
        .compose(v -> CampaignChecks.callFlow(pool, actor.accountId(), given.spec()))
        .map(spec -> new CampaignInput.Parsed(spec, given.recipients()))
        .compose(
            parsed ->
                pool.withTransaction(
                    tx ->
                        CampaignStore.getForUpdate(tx, actor.accountId(), id)
                            .compose(before -> replace(tx, actor, before, parsed))))
        .map(this::changed);
  }

  private Future<Campaign> replace(
      SqlClient tx, Actor actor, Campaign before, CampaignInput.Parsed parsed) {
    Responses.found(before, "Campaign");
    if (!Campaign.EDITABLE.contains(before.status())) {
      throw ApiException.conflict(
          "A " + before.status() + " campaign cannot be edited; pause it or clone it");
    }
    boolean paused = before.status().equals("paused");
    if (paused && parsed.recipients() != null) {
      throw ApiException.validation(
          "recipients", "not_editable", "recipients cannot be changed once a campaign has started");
    }
    CampaignSpec spec = parsed.spec();
    String status =
        paused
            ? "paused"
            : spec.recurrence() != null || spec.startAt() != null ? "scheduled" : "draft";
    Instant nextRun = spec.recurrence() == null ? null : spec.recurrence().next(clock.instant());
    Future<Void> recipients =
        parsed.recipients() == null
            ? Future.succeededFuture()
            : RecipientStore.deleteInline(tx, before.id())
                .compose(x -> CampaignStore.resetSkipped(tx, before.id()))
                .compose(x -> addRecipients(tx, before, parsed.recipients()));
    return recipients
        .compose(v -> CampaignStore.update(tx, before.id(), status, spec, nextRun))
        .compose(
            after ->
                status.equals("scheduled")
                    ? CampaignChecks.startable(tx, after).map(after)
                    : Future.succeededFuture(after))
        .compose(
            after ->
                AuditStore.record(
                        tx,
                        actor,
                        "update",
                        "campaign",
                        after.id(),
                        before.toJson(),
                        after.toJson())
                    .map(after));
  }

  /** Deletes a campaign that is not running or paused (409 then; 404 when not the account's). */
  Future<Void> delete(Actor actor, UUID id) {
    return pool.withTransaction(
        tx ->
            CampaignStore.getForUpdate(tx, actor.accountId(), id)
                .compose(
                    before -> {
                      Responses.found(before, "Campaign");
                      if (before.status().equals("running") || before.status().equals("paused")) {
                        throw ApiException.conflict(
                            "A " + before.status() + " campaign cannot be deleted; stop it first");
                      }
                      return CampaignStore.delete(tx, id)
                          .compose(
                              v ->
                                  AuditStore.record(
                                      tx, actor, "delete", "campaign", id, before.toJson(), null));
                    }));
  }

  /**
   * Creates a campaign whose recipients are the rows of an uploaded file, in one transaction: a
   * draft, a scheduled campaign when {@code spec} has a start time, or a running one with {@code
   * start}. 422 when the file has no row with a phone number. Answers the campaign's JSON with the
   * upload's totals ({@code upload}).
   */
  Future<JsonObject> createFromCsv(
      Actor actor, CampaignSpec spec, boolean start, RecipientCsv csv) {
    UUID id = Ids.newId();
    boolean scheduled = spec.startAt() != null;
    return pool.withTransaction(
            tx ->
                CampaignStore.insert(
                        tx,
                        id,
                        actor.accountId(),
                        null,
                        scheduled ? "scheduled" : "draft",
                        spec,
                        null)
                    .compose(
                        c ->
                            CsvUpload.load(vertx, tx, id, csv)
                                .compose(totals -> finish(tx, actor, c, start, totals))))
        .map(
            created -> {
              publish(id);
              return created;
            });
  }

  private Future<JsonObject> finish(
      SqlClient tx, Actor actor, Campaign c, boolean start, CsvUpload.Totals totals) {
    if (totals.added() == 0) {
      throw ApiException.validation(
          "file", "no_recipients", "The file has no row with a phone number");
    }
    boolean checked = start || c.status().equals("scheduled");
    return CampaignStore.countSkipped(tx, c.id(), totals.skipped())
        .compose(v -> checked ? CampaignChecks.startable(tx, c) : Future.<Void>succeededFuture())
        .compose(
            v ->
                start && c.status().equals("draft")
                    ? CampaignStore.transition(tx, c, "running", EventType.CAMPAIGN_STARTED, null)
                    : CampaignStore.getForUpdate(tx, c.accountId(), c.id()))
        .compose(
            after -> {
              JsonObject summary = totals.toJson();
              summary.remove("errors");
              return AuditStore.record(
                      tx,
                      actor,
                      "create",
                      "campaign",
                      after.id(),
                      null,
                      after.toJson().put("upload", summary))
                  .map(after.toJson().put("upload", totals.toJson()));
            });
  }

  private Campaign changed(Campaign campaign) {
    publish(campaign.id());
    return campaign;
  }

  private void publish(UUID id) {
    vertx.eventBus().publish(Addresses.CAMPAIGNS_CHANGED, id.toString());
  }
}
