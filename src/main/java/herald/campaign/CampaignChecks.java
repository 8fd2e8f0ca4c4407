package herald.campaign;

import herald.call.CallOptions;
import herald.call.ivr.IvrStore;
import herald.channel.registry.Channels;
import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The checks of a campaign that need the database: its senders, templates, groups and contacts must
 * be the account's own (another account's id is reported like a missing one), and a campaign must
 * have content and an audience before it starts.
 */
final class CampaignChecks {
  private CampaignChecks() {}

  /** Fails with 422 naming every id that is not the account's. */
  static Future<Void> references(SqlClient client, UUID accountId, CampaignSpec spec) {
    List<UUID> templates = new ArrayList<>();
    if (spec.templateId() != null) {
      templates.add(spec.templateId());
    }
    spec.variants().stream()
        .filter(v -> v.templateId() != null)
        .forEach(v -> templates.add(v.templateId()));
    Future<Set<UUID>> senders =
        known(
            client,
            "SELECT id FROM senders WHERE account_id = $1 AND id = ANY($2) AND is_active"
                + " AND channel = '"
                + (Set.of("whatsapp", "voice").contains(spec.channel())
                    ? spec.channel()
                    : Channels.DEFAULT_CHANNEL)
                + "'",
            accountId,
            spec.senderIds());
    Future<Set<UUID>> knownTemplates =
        known(
            client,
            "SELECT id FROM templates WHERE account_id = $1 AND id = ANY($2)",
            accountId,
            templates);
    Future<Set<UUID>> groups =
        known(
            client,
            "SELECT id FROM contact_groups WHERE account_id = $1 AND id = ANY($2)",
            accountId,
            spec.groupIds());
    Future<Set<UUID>> contacts =
        known(
            client,
            "SELECT id FROM contacts WHERE account_id = $1 AND id = ANY($2)",
            accountId,
            spec.contactIds());
    return Future.all(senders, knownTemplates, groups, contacts)
        .compose(
            x -> {
              List<FieldError> errors = new ArrayList<>();
              missing(
                  errors,
                  "sender_ids",
                  spec.senderIds(),
                  senders.result(),
                  "active " + (spec.voice() ? "voice" : "SMS") + " sender");
              if (spec.templateId() != null
                  && !knownTemplates.result().contains(spec.templateId())) {
                errors.add(new FieldError("template_id", "not_found", "no template with this id"));
              }
              for (int i = 0; i < spec.variants().size(); i++) {
                UUID t = spec.variants().get(i).templateId();
                if (t != null && !knownTemplates.result().contains(t)) {
                  errors.add(
                      new FieldError(
                          "variants[" + i + "].template_id",
                          "not_found",
                          "no template with this id"));
                }
              }
              missing(errors, "group_ids", spec.groupIds(), groups.result(), "contact group");
              missing(errors, "contact_ids", spec.contactIds(), contacts.result(), "contact");
              return errors.isEmpty()
                  ? Future.<Void>succeededFuture()
                  : Future.failedFuture(ApiException.validation(errors));
            });
  }

  private static void missing(
      List<FieldError> errors, String field, List<UUID> ids, Set<UUID> found, String what) {
    for (int i = 0; i < ids.size(); i++) {
      if (!found.contains(ids.get(i))) {
        errors.add(
            new FieldError(field + "[" + i + "]", "not_found", "no " + what + " with this id"));
      }
    }
  }

  private static Future<Set<UUID>> known(
      SqlClient client, String sql, UUID accountId, List<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return client
        .preparedQuery(sql)
        .execute(Tuple.tuple().addUUID(accountId).addArrayOfUUID(ids.toArray(UUID[]::new)))
        .map(
            rows -> {
              Set<UUID> out = new HashSet<>();
              rows.forEach(row -> out.add(row.getUUID("id")));
              return out;
            });
  }

  /**
   * The spec with its voice campaign's {@code ivr_id} replaced by a snapshot of the account's IVR
   * (so editing or deleting the IVR later never changes the campaign's calls); 422 on {@code
   * voice.ivr_id} when the IVR is not the account's. Other specs are answered as they are.
   */
  static Future<CampaignSpec> callFlow(Pool pool, UUID accountId, CampaignSpec spec) {
    if (!spec.voice() || spec.content() == null) {
      return Future.succeededFuture(spec);
    }
    JsonObject call = spec.content().getJsonObject("call");
    if (call == null || call.getString("ivr_id") == null) {
      return Future.succeededFuture(spec);
    }
    return CallOptions.withIvr(new IvrStore(pool), accountId, call, "voice.ivr_id")
        .map(resolved -> spec.withContent(spec.content().copy().put("call", resolved)));
  }

  /** Fails with 422 unless the campaign has content and someone to send it to. */
  static Future<Void> startable(SqlClient client, Campaign campaign) {
    CampaignSpec spec = campaign.spec();
    List<FieldError> errors = new ArrayList<>();
    if (spec.message() == null
        && spec.templateId() == null
        && spec.variants().isEmpty()
        && spec.content() == null) {
      errors.add(
          new FieldError(
              "message", "required", "a campaign needs a message, a template_id or variants"));
    }
    boolean audience = !spec.groupIds().isEmpty() || !spec.contactIds().isEmpty();
    Future<Boolean> hasRecipients =
        audience
            ? Future.succeededFuture(true)
            : client
                .preparedQuery(
                    "SELECT EXISTS (SELECT 1 FROM campaign_recipients WHERE campaign_id = $1) AS any")
                .execute(Tuple.of(campaign.id()))
                .map(rows -> rows.iterator().next().getBoolean("any"));
    return hasRecipients.compose(
        any -> {
          if (!any) {
            errors.add(
                new FieldError(
                    "recipients",
                    "required",
                    "a campaign needs recipients, group_ids or contact_ids before it starts"));
          }
          return errors.isEmpty()
              ? Future.<Void>succeededFuture()
              : Future.failedFuture(ApiException.validation(errors));
        });
  }
}
