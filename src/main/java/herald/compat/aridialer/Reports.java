package herald.compat.aridialer;

import herald.compat.aridialer.Envelope.Failure;
import herald.compat.aridialer.Envelope.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Seed 001's CDR list, record and statistics, and its monitoring (status, channels, real time). */
final class Reports {
  private static final Map<String, String> DISPOSITIONS =
      Map.of(
          "completed", "ANSWERED",
          "busy", "BUSY",
          "no_answer", "NO ANSWER",
          "failed", "FAILED",
          "machine", "MACHINE",
          "canceled", "CANCELED");

  private final Dialer api;

  Reports(Dialer api) {
    this.api = api;
  }

  private static JsonObject cdrView(JsonObject c) {
    double ring = c.getDouble("ring_seconds", 0.0);
    double talk = c.getDouble("talk_seconds", 0.0);
    String campaign = c.getString("campaign_id");
    Long seq = c.getLong("recipient_seq");
    return new JsonObject()
        .put("id", c.getString("id"))
        .put("call_id", c.getString("call_id"))
        .put("campaign_id", campaign)
        .put("number_id", campaign == null || seq == null ? null : campaign + "-" + seq)
        .put("phone_number", c.getString("to"))
        .put("callerid", c.getString("caller_id"))
        .put("start_time", Envelope.time(c.getString("started_at")))
        .put("answer_time", Envelope.time(c.getString("answered_at")))
        .put("end_time", Envelope.time(c.getString("ended_at")))
        .put("duration", Math.round(ring + talk))
        .put("billsec", Math.round(talk))
        .put(
            "disposition",
            DISPOSITIONS.getOrDefault(c.getString("disposition"), c.getString("disposition")))
        .put("hangup_cause", c.getInteger("hangup_cause"))
        .put("hangup_cause_text", c.getString("hangup_cause_text"))
        .put("amd_status", c.getString("amd_status"))
        .put("amd_cause", c.getString("amd_cause"))
        .put("dtmf", c.getString("dtmf"))
        .put("ivr_id", c.getString("ivr_id"))
        .put("ivr_path", c.getJsonArray("ivr_path"))
        .put("agent_status", c.getString("agent_status"))
        .put("agent_talk_seconds", c.getValue("agent_talk_seconds"))
        .put("recording", c.getString("recording"));
  }

  /** The seed's CDR filters as Herald's query string (campaign, disposition, date range). */
  private static String cdrFilters(RoutingContext ctx) {
    StringBuilder q = new StringBuilder();
    JsonObject errors = new JsonObject();
    String campaign = ctx.queryParams().get("campaign_id");
    if (campaign != null && !campaign.isBlank()) {
      q.append("&campaign_id=").append(Dialer.enc(campaign));
    }
    String disposition = ctx.queryParams().get("disposition");
    if (disposition != null && !disposition.isBlank()) {
      String herald = null;
      for (Map.Entry<String, String> e : DISPOSITIONS.entrySet()) {
        if (e.getValue().equalsIgnoreCase(disposition) || e.getKey().equals(disposition)) {
          herald = e.getKey();
        }
      }
      if (herald == null) {
        errors.put("disposition", "one of ANSWERED, BUSY, NO ANSWER, FAILED, MACHINE, CANCELED");
      } else {
        q.append("&disposition=").append(herald);
      }
    }
    for (String[] names :
        List.of(
            new String[] {"from", "date_from", "start_date", "from"},
            new String[] {"to", "date_to", "end_date", "to"})) {
      for (int i = 1; i < names.length; i++) {
        String text = ctx.queryParams().get(names[i]);
        if (text == null || text.isBlank()) {
          continue;
        }
        Instant at = Envelope.parseTime(text, names[0].equals("to"));
        if (at == null) {
          errors.put(names[i], "a date (YYYY-MM-DD) or a time (YYYY-MM-DD HH:MM:SS)");
        } else {
          q.append('&').append(names[0]).append('=').append(Dialer.enc(at.toString()));
        }
        break;
      }
    }
    if (!errors.isEmpty()) {
      throw new Failure(400, "Invalid query parameters", errors);
    }
    return q.length() == 0 ? "" : "?" + q.substring(1);
  }

  Future<Reply> listCdrs(RoutingContext ctx) {
    Paging paging = Paging.from(ctx);
    String filters = cdrFilters(ctx);
    return api.get(ctx, "/api/v1/cdrs/stats" + filters)
        .compose(
            stats ->
                api.page(ctx, "/api/v1/cdrs" + filters, paging)
                    .map(
                        rows -> {
                          JsonArray data = new JsonArray();
                          rows.forEach(c -> data.add(cdrView(c)));
                          return new Reply(
                              200,
                              "CDR records retrieved",
                              data,
                              paging.object(stats.getLong("calls", 0L)));
                        }));
  }

  Future<Reply> getCdr(RoutingContext ctx) {
    return api.get(ctx, "/api/v1/cdrs/" + Dialer.enc(ctx.pathParam("id")))
        .map(c -> new Reply(200, "CDR retrieved", cdrView(c)));
  }

  static JsonObject cdrStatsView(JsonObject s) {
    JsonObject by = new JsonObject();
    s.getJsonObject("by_disposition", new JsonObject())
        .forEach(e -> by.put(DISPOSITIONS.getOrDefault(e.getKey(), e.getKey()), e.getValue()));
    return new JsonObject()
        .put("total_calls", s.getLong("calls", 0L))
        .put("answered", s.getLong("answered", 0L))
        .put("answer_rate", s.getValue("answer_rate"))
        .put("average_talk_time", s.getValue("average_talk_seconds"))
        .put("by_disposition", by)
        .put("by_hour", s.getJsonArray("by_hour"));
  }

  Future<Reply> cdrStats(RoutingContext ctx) {
    return api.get(ctx, "/api/v1/cdrs/stats" + cdrFilters(ctx))
        .map(s -> new Reply(200, "CDR statistics retrieved", cdrStatsView(s)));
  }

  Future<Reply> monitoringStatus(RoutingContext ctx) {
    return api.get(ctx, "/api/v1/monitoring/status")
        .map(
            s -> {
              JsonArray ari = s.getJsonArray("ari", new JsonArray());
              boolean connected =
                  !ari.isEmpty()
                      && ari.stream()
                          .allMatch(
                              o -> "connected".equals(((JsonObject) o).getString("connection")));
              return new Reply(
                  200,
                  "System status retrieved",
                  new JsonObject()
                      .put("status", s.getString("status"))
                      .put(
                          "asterisk",
                          new JsonObject()
                              .put("status", connected ? "connected" : "disconnected")
                              .put("senders", ari))
                      .put("database", s.getJsonObject("database"))
                      .put("lanes", s.getJsonArray("lanes"))
                      .put("node", s.getString("node")));
            });
  }

  Future<Reply> monitoringChannels(RoutingContext ctx) {
    return api.get(ctx, "/api/v1/monitoring/channels")
        .map(
            c ->
                new Reply(
                    200,
                    "Active channels retrieved",
                    new JsonObject()
                        .put("count", c.getJsonArray("data", new JsonArray()).size())
                        .put("channels", c.getJsonArray("data", new JsonArray()))
                        .put("by_status", c.getJsonObject("counts"))
                        .put("truncated", c.getBoolean("truncated", false))));
  }

  Future<Reply> realtime(RoutingContext ctx) {
    String today =
        LocalDate.now(ZoneOffset.UTC).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
    Future<JsonObject> channels = api.get(ctx, "/api/v1/monitoring/channels");
    Future<JsonObject> todayStats = api.get(ctx, "/api/v1/cdrs/stats?from=" + Dialer.enc(today));
    Future<List<JsonObject>> campaigns =
        api.all(ctx, "/api/v1/campaigns?status=running")
            .compose(
                list -> {
                  List<Future<JsonObject>> stats = new ArrayList<>();
                  for (JsonObject c : list) {
                    if ("voice".equals(c.getString("channel"))) {
                      stats.add(
                          api.get(ctx, "/api/v1/campaigns/" + c.getString("id") + "/stats")
                              .map(s -> Campaigns.stats(s).put("name", c.getString("name"))));
                    }
                  }
                  return Future.all(stats).map(all -> all.<JsonObject>list());
                });
    return Future.all(channels, todayStats, campaigns)
        .map(
            x -> {
              JsonArray live = channels.result().getJsonArray("data", new JsonArray());
              return new Reply(
                  200,
                  "Real-time data retrieved",
                  new JsonObject()
                      .put("active_calls", live.size())
                      .put("channels", live)
                      .put("campaigns", new JsonArray(new ArrayList<>(campaigns.result())))
                      .put("today", cdrStatsView(todayStats.result()))
                      .put("timestamp", Envelope.time(Instant.now().toString())));
            });
  }
}
