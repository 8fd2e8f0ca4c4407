package herald.call;

import herald.channel.OutboundItem;
import herald.channel.ProgressSink;
import herald.channel.SendOutcome;
import herald.event.EventType;
import herald.platform.database.Ids;
import herald.platform.database.Outbox;
import herald.platform.database.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lanes' side of calls: claiming queued calls (and adopting the live calls of a lane that is
 * gone), writing their progress as the provider reports it, and ending them with their CDR and
 * event in one transaction. The end is idempotent: only a live call ends, so an outcome reported
 * twice (by a lane that lost its sender and by its successor) writes one CDR.
 *
 * <p>A voice {@link OutboundItem} carries the call: {@code from} is the caller id, {@code body} the
 * call's options as JSON with {@code channel_id} (Herald's own ARI channel id), {@code status} (as
 * claimed), {@code resume} ({@code true} for a call adopted from another lane: dialled already,
 * never to be dialled again) and {@code hangup_requested}; {@code encoding} is {@code call}.
 */
public final class CallQueueStore implements ProgressSink {
  private static final Logger LOG = LoggerFactory.getLogger(CallQueueStore.class);

  /** Originate attempts (transient failures: ARI down, no channel free) before a call fails. */
  static final int MAX_DIALS = 5;

  private static final String LIVE_DIALLED = "('dialing', 'ringing', 'answered')";

  private static final String CLAIM =
      "WITH picked AS (SELECT id, status AS was FROM calls WHERE sender_id = $1 AND ("
          + "(status = 'queued' AND not_before <= now()) OR (status IN "
          + LIVE_DIALLED
          + " AND claim_token IS DISTINCT FROM $2))"
          + " ORDER BY (status = 'queued'), id LIMIT $3 FOR UPDATE SKIP LOCKED)"
          + " UPDATE calls c SET"
          + " status = CASE WHEN p.was = 'queued' THEN 'dialing' ELSE c.status END,"
          + " attempts = c.attempts + CASE WHEN p.was = 'queued' THEN 1 ELSE 0 END,"
          + " channel_id = CASE WHEN p.was = 'queued' THEN 'herald-' || c.id || '-'"
          + " || (c.attempts + 1) ELSE c.channel_id END,"
          + " dialed_at = CASE WHEN p.was = 'queued' THEN now() ELSE c.dialed_at END,"
          + " claim_token = $2, updated_at = now()"
          + " FROM picked p WHERE c.id = p.id"
          + " RETURNING c.id, c.account_id, c.to_number, c.caller_id, c.options, c.channel_id,"
          + " c.attempts, c.status, c.hangup_requested, p.was";

  private static final String REQUEUE =
      "UPDATE calls SET status = 'queued', claim_token = NULL, channel_id = NULL,"
          + " dialed_at = NULL, attempts = attempts - $3,"
          + " not_before = now() + make_interval(secs => $2), updated_at = now()"
          + " WHERE id = $1 AND status = 'dialing'";

  private static final String RELEASE =
      "UPDATE calls SET claim_token = NULL, updated_at = now() WHERE id = $1";

  private static final String END =
      "UPDATE calls SET status = $2, ended_at = now(), updated_at = now(),"
          + " answered_at = CASE WHEN $2 IN ('completed', 'machine')"
          + " THEN COALESCE(answered_at, $3, now()) ELSE answered_at END,"
          + " hangup_cause = $4, hangup_cause_text = $5,"
          + " amd_status = COALESCE($6, amd_status), amd_cause = COALESCE($7, amd_cause),"
          + " dtmf = CASE WHEN length($8) > length(dtmf) THEN $8 ELSE dtmf END,"
          + " recording = COALESCE($9, recording), error = $10,"
          + " agent_status = CASE WHEN COALESCE($11, agent_status) = 'dialing' THEN 'abandoned'"
          + " ELSE COALESCE($11, agent_status) END,"
          + " agent_answered_at = COALESCE(agent_answered_at, $12),"
          + " agent_ended_at = COALESCE(agent_ended_at, $13,"
          + " CASE WHEN COALESCE(agent_answered_at, $12) IS NOT NULL THEN now() END)"
          + " WHERE id = $1 AND status IN "
          + LIVE_DIALLED
          + " RETURNING *";

  private static final String CDR =
      "INSERT INTO cdrs (id, account_id, call_id, sender_id, to_number, caller_id, started_at,"
          + " answered_at, ended_at, ring_seconds, talk_seconds, disposition, hangup_cause,"
          + " hangup_cause_text, amd_status, amd_cause, dtmf, recording, campaign_id, recipient_seq,"
          + " ivr_id, ivr_path, agent_status, agent_talk_seconds)"
          + " SELECT $1, account_id, id, sender_id, to_number, caller_id,"
          + " COALESCE(dialed_at, created_at), answered_at, ended_at,"
          + " round(extract(epoch FROM COALESCE(answered_at, ended_at)"
          + " - COALESCE(dialed_at, created_at))::numeric, 3),"
          + " CASE WHEN answered_at IS NULL THEN 0"
          + " ELSE round(extract(epoch FROM ended_at - answered_at)::numeric, 3) END,"
          + " status, hangup_cause, hangup_cause_text, amd_status, amd_cause, dtmf, recording,"
          + " campaign_id, recipient_seq, ivr_id, ivr_path, agent_status,"
          + " CASE WHEN agent_answered_at IS NULL THEN 0 ELSE round(extract(epoch FROM"
          + " COALESCE(agent_ended_at, ended_at) - agent_answered_at)::numeric, 3) END"
          + " FROM calls WHERE id = $2";

  private final Pool pool;

  public CallQueueStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Claims up to {@code max} of the sender's calls for the lane whose claim token is {@code token}:
   * queued calls that are due become {@code dialing} with a fresh channel id, and live calls
   * another lane dialled (a crashed or replaced one) are adopted as they are.
   */
  public Future<List<OutboundItem>> claim(UUID senderId, UUID token, int max) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(senderId, token, max))
        .map(rows -> Rows.map(rows, CallQueueStore::item));
  }

  private static OutboundItem item(Row row) {
    boolean resume = !"queued".equals(row.getString("was"));
    JsonObject body =
        row.getJsonObject("options")
            .copy()
            .put("channel_id", row.getString("channel_id"))
            .put("status", row.getString("status"))
            .put("resume", resume)
            .put("hangup_requested", row.getBoolean("hangup_requested"));
    return new OutboundItem(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getString("to_number"),
        row.getString("caller_id"),
        body.encode(),
        "call",
        row.getInteger("attempts"));
  }

  /**
   * Records a call's outcome. {@code SENT} and {@code FAILED} end it (the outcome's detail carries
   * the disposition, hang-up cause, AMD verdict, DTMF path and recording) with its CDR and its
   * {@code call.completed} or {@code call.failed} event; {@code RETRY} and {@code PAUSED} (the
   * originate did not happen) queue it again, after a delay, until {@value #MAX_DIALS} dials.
   */
  public Future<Void> end(OutboundItem item, SendOutcome outcome) {
    JsonObject detail = outcome.detail() == null ? new JsonObject() : outcome.detail();
    boolean again =
        outcome.kind() == SendOutcome.Kind.PAUSED || outcome.kind() == SendOutcome.Kind.RETRY;
    if (again && new JsonObject(item.body()).getBoolean("resume", false)) {
      // An adopted call could not be settled (ARI unreachable): never dial it again, only let the
      // next claim adopt it once more.
      return pool.preparedQuery(RELEASE).execute(Tuple.of(item.id())).mapEmpty();
    }
    if (again && (outcome.kind() == SendOutcome.Kind.PAUSED || item.attempts() < MAX_DIALS)) {
      int uncount = outcome.kind() == SendOutcome.Kind.PAUSED ? 1 : 0;
      long delay =
          outcome.kind() == SendOutcome.Kind.PAUSED ? 2 : Math.min(60, 2L << item.attempts());
      return pool.preparedQuery(REQUEUE)
          .execute(Tuple.of(item.id(), (double) delay, uncount))
          .mapEmpty();
    }
    String disposition =
        outcome.kind() == SendOutcome.Kind.SENT
            ? detail.getString("disposition", "completed")
            : "failed";
    String error =
        outcome.kind() == SendOutcome.Kind.SENT
            ? detail.getString("error")
            : outcome.errorCode() + ": " + outcome.errorMessage();
    OffsetDateTime answeredAt =
        detail.getString("answered_at") == null
            ? null
            : OffsetDateTime.parse(detail.getString("answered_at"));
    Tuple args =
        Tuple.tuple()
            .addUUID(item.id())
            .addString(disposition)
            .addOffsetDateTime(answeredAt)
            .addInteger(detail.getInteger("hangup_cause"))
            .addString(detail.getString("hangup_cause_text"))
            .addString(detail.getString("amd_status"))
            .addString(detail.getString("amd_cause"))
            .addString(detail.getString("dtmf", ""))
            .addString(detail.getString("recording"))
            .addString(error)
            .addString(detail.getString("agent_status"))
            .addOffsetDateTime(time(detail, "agent_answered_at"))
            .addOffsetDateTime(time(detail, "agent_ended_at"));
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(END)
                .execute(args)
                .compose(
                    rows -> {
                      Call call = Rows.first(rows, Call::from);
                      if (call == null) {
                        return Future.succeededFuture(); // ended already
                      }
                      UUID cdrId = Ids.newId();
                      EventType type =
                          call.answeredAt() != null
                              ? EventType.CALL_COMPLETED
                              : EventType.CALL_FAILED;
                      return tx.preparedQuery(CDR)
                          .execute(Tuple.of(cdrId, call.id()))
                          .compose(
                              v ->
                                  Outbox.append(
                                      tx,
                                      call.accountId(),
                                      type,
                                      call.id(),
                                      call.toJson().put("cdr_id", cdrId.toString())));
                    }));
  }

  private static OffsetDateTime time(JsonObject detail, String field) {
    String value = detail.getString(field);
    return value == null ? null : OffsetDateTime.parse(value);
  }

  /**
   * Writes a live call's progress: {@code ringing} and {@code answered} (each once, with its
   * event), {@code dtmf} ({@code digit}), {@code amd} ({@code status}, {@code cause}) and {@code
   * recording} ({@code name}).
   */
  @Override
  public Future<Void> progress(UUID senderId, UUID callId, String state, JsonObject detail) {
    return switch (state) {
      case "ringing" ->
          transition(
              callId,
              "UPDATE calls SET status = 'ringing', ringing_at = now(), updated_at = now()"
                  + " WHERE id = $1 AND status = 'dialing' RETURNING *",
              EventType.CALL_RINGING);
      case "answered" ->
          transition(
              callId,
              "UPDATE calls SET status = 'answered', answered_at = now(),"
                  + " ringing_at = COALESCE(ringing_at, now()), updated_at = now()"
                  + " WHERE id = $1 AND status IN ('dialing', 'ringing') RETURNING *",
              EventType.CALL_ANSWERED);
      case "dtmf" ->
          update(
              "UPDATE calls SET dtmf = dtmf || $2, updated_at = now() WHERE id = $1",
              Tuple.of(callId, detail.getString("digit", "")));
      case "amd" ->
          update(
              "UPDATE calls SET amd_status = $2, amd_cause = $3, updated_at = now() WHERE id = $1",
              Tuple.of(callId, detail.getString("status"), detail.getString("cause")));
      case "recording" -> recording(senderId, callId, detail);
      case "recording_finished" ->
          // An upsert: the end of a recording that outlived its call (a bridge's) may be written
          // before its start is; the start then only fills in the kind and format.
          update(
              "INSERT INTO recordings (id, account_id, call_id, sender_id, name, format, kind,"
                  + " state, duration_seconds, finished_at)"
                  + " SELECT $1, account_id, id, sender_id, $3, 'wav', $4, $5, $6, now()"
                  + " FROM calls WHERE id = $2 ON CONFLICT (sender_id, name) DO UPDATE"
                  + " SET state = EXCLUDED.state, duration_seconds = EXCLUDED.duration_seconds,"
                  + " finished_at = EXCLUDED.finished_at",
              Tuple.of(
                  Ids.newId(),
                  callId,
                  detail.getString("name"),
                  detail.getString("name", "").contains("-msg-") ? "message" : "call",
                  detail.getBoolean("failed", false) ? "failed" : "done",
                  detail.getInteger("duration")));
      case "ivr" ->
          update(
              "UPDATE calls SET ivr_path = ivr_path || jsonb_build_array($2::jsonb),"
                  + " updated_at = now() WHERE id = $1",
              Tuple.of(callId, detail.put("at", java.time.Instant.now().toString())));
      case "ivr_callback" -> ivrCallback(callId, detail);
      case "agent" ->
          update(
              "UPDATE calls SET agent_status = $2,"
                  + " agent_answered_at = CASE WHEN $2 = 'answered'"
                  + " THEN COALESCE(agent_answered_at, now()) ELSE agent_answered_at END,"
                  + " agent_ended_at = CASE WHEN $3 THEN COALESCE(agent_ended_at, now())"
                  + " ELSE agent_ended_at END, updated_at = now() WHERE id = $1",
              Tuple.of(callId, detail.getString("status"), detail.getBoolean("ended", false)));
      default -> {
        LOG.debug("Call {}: progress {} ignored", callId, state);
        yield Future.succeededFuture();
      }
    };
  }

  /**
   * A recording ARI started: kept in {@code recordings} ({@code kind} call, bridge or message); the
   * whole call's or the bridge's is also the call's {@code recording}.
   */
  private Future<Void> recording(UUID senderId, UUID callId, JsonObject detail) {
    String kind = detail.getString("kind", "call");
    String name = detail.getString("name");
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "INSERT INTO recordings (id, account_id, call_id, sender_id, name, format, kind)"
                        + " SELECT $1, account_id, id, sender_id, $3, $4, $5 FROM calls"
                        + " WHERE id = $2 ON CONFLICT (sender_id, name) DO UPDATE"
                        + " SET kind = EXCLUDED.kind, format = EXCLUDED.format")
                .execute(
                    Tuple.of(Ids.newId(), callId, name, detail.getString("format", "wav"), kind))
                .compose(
                    v ->
                        kind.equals("message")
                            ? Future.succeededFuture()
                            : tx.preparedQuery(
                                    "UPDATE calls SET recording = $2, updated_at = now()"
                                        + " WHERE id = $1")
                                .execute(Tuple.of(callId, name)))
                .mapEmpty());
  }

  /**
   * An IVR option asked for a callback: the {@code call.ivr_callback} event, signed as webhooks.
   */
  private Future<Void> ivrCallback(UUID callId, JsonObject detail) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery("SELECT * FROM calls WHERE id = $1")
                .execute(Tuple.of(callId))
                .compose(
                    rows -> {
                      Call call = Rows.first(rows, Call::from);
                      return call == null
                          ? Future.succeededFuture()
                          : Outbox.append(
                              tx,
                              call.accountId(),
                              EventType.CALL_IVR_CALLBACK,
                              call.id(),
                              call.toJson().put("ivr", detail));
                    }));
  }

  /** Of these calls of the sender, those a {@code DELETE} asked to hang up. */
  @Override
  public Future<Set<UUID>> stopRequested(UUID senderId, Collection<UUID> callIds) {
    if (callIds.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return pool.preparedQuery(
            "SELECT id FROM calls WHERE sender_id = $1 AND id = ANY($2) AND hangup_requested")
        .execute(Tuple.tuple().addUUID(senderId).addArrayOfUUID(callIds.toArray(new UUID[0])))
        .map(
            rows -> {
              Set<UUID> ids = new HashSet<>();
              rows.forEach(row -> ids.add(row.getUUID("id")));
              return ids;
            });
  }

  private Future<Void> transition(UUID callId, String sql, EventType type) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(sql)
                .execute(Tuple.of(callId))
                .compose(
                    rows -> {
                      Call call = Rows.first(rows, Call::from);
                      return call == null
                          ? Future.succeededFuture()
                          : Outbox.append(tx, call.accountId(), type, call.id(), call.toJson());
                    }));
  }

  private Future<Void> update(String sql, Tuple args) {
    SqlClient client = pool;
    return client.preparedQuery(sql).execute(args).mapEmpty();
  }
}
