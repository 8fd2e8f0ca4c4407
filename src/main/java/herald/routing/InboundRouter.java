package herald.routing;

import herald.agent.AgentIntake;
import herald.agent.Replies;
import herald.inbound.InboundHandler;
import herald.platform.database.Ids;
import herald.template.Renderer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The inbound chain step after the opt-out keywords: tries the account's inbound rules in order and
 * lets the first that matches handle the message (a fixed reply, a rendered template, a handoff to
 * an AI agent, or nothing but the {@code message.received} webhook), all in the transaction that
 * stores the message. Which rule handled the message is written on it ({@code
 * metadata.inbound_route}); an account without rules is left as before (the message is stored,
 * nothing answers). Replies go out on the sender and number the message came in on, whatever its
 * channel.
 */
public final class InboundRouter implements InboundHandler {
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  @Override
  public Future<Handled> handle(SqlClient tx, Received m) {
    return RuleStore.enabled(tx, m.accountId())
        .compose(
            rules -> {
              if (rules.isEmpty()) {
                return Future.succeededFuture(Handled.CONTINUE);
              }
              boolean needContact = rules.stream().anyMatch(r -> r.rule().needsContact());
              Future<RuleStore.ContactFacts> contact =
                  needContact
                      ? RuleStore.contact(tx, m.accountId(), m.from())
                      : Future.succeededFuture(null);
              return contact.compose(facts -> route(tx, m, rules, facts));
            });
  }

  private Future<Handled> route(
      SqlClient tx, Received m, List<RuleStore.Loaded> rules, RuleStore.ContactFacts facts) {
    for (RuleStore.Loaded loaded : rules) {
      if (matches(loaded.rule(), m, facts)) {
        return apply(tx, m, loaded, facts);
      }
    }
    return RuleStore.recordRoute(
            tx, m.messageId(), new JsonObject().putNull("rule_id").put("action", "none"))
        .map(Handled.CONTINUE);
  }

  static boolean matches(InboundRule r, Received m, RuleStore.ContactFacts facts) {
    if (r.matchSenderId() != null && !r.matchSenderId().equals(m.senderId())) {
      return false;
    }
    if (r.matchNumber() != null && !digits(r.matchNumber()).equals(digits(m.ourNumber()))) {
      return false;
    }
    if (r.matchKeyword() != null) {
      String first = m.text().strip().split("\\s+", 2)[0];
      if (!first.equalsIgnoreCase(r.matchKeyword())) {
        return false;
      }
    }
    if (r.matchRegex() != null && !pattern(r.matchRegex()).matcher(m.text()).find()) {
      return false;
    }
    if (r.matchGroupId() != null && (facts == null || !facts.groups().contains(r.matchGroupId()))) {
      return false;
    }
    if (r.matchTier() != null && (facts == null || !r.matchTier().equals(facts.tier()))) {
      return false;
    }
    return true;
  }

  private static Future<Handled> apply(
      SqlClient tx, Received m, RuleStore.Loaded loaded, RuleStore.ContactFacts facts) {
    InboundRule rule = loaded.rule();
    JsonObject route =
        new JsonObject()
            .put("rule_id", rule.id().toString())
            .put("rule_name", rule.name())
            .put("action", rule.action());
    Future<Handled> handled =
        switch (rule.action()) {
          case "reply" -> reply(tx, m, rule.replyText(), rule);
          case "template" -> reply(tx, m, render(loaded.templateContent(), m, facts), rule);
          case "agent" ->
              AgentIntake.handOff(
                      tx,
                      new AgentIntake.Handoff(
                          m.accountId(),
                          rule.agentId(),
                          rule.id(),
                          m.messageId(),
                          m.senderId(),
                          m.channel(),
                          m.from(),
                          m.ourNumber(),
                          m.text(),
                          null))
                  .map(
                      outcome -> {
                        route
                            .put("agent_task_id", outcome.taskId().toString())
                            .put("task_status", outcome.status());
                        return new Handled(true, outcome.replyQueued());
                      });
          default -> Future.succeededFuture(new Handled(true, false)); // webhook only
        };
    return handled.compose(h -> RuleStore.recordRoute(tx, m.messageId(), route).map(h));
  }

  private static Future<Handled> reply(SqlClient tx, Received m, String text, InboundRule rule) {
    if (text == null || text.isBlank()) {
      return Future.succeededFuture(new Handled(true, false));
    }
    return Replies.queue(
            tx,
            Ids.newId(),
            m.accountId(),
            m.senderId(),
            m.channel(),
            m.from(),
            m.ourNumber(),
            text,
            new JsonObject().put("inbound_rule_id", rule.id().toString()))
        .map(new Handled(true, true));
  }

  private static String render(String template, Received m, RuleStore.ContactFacts facts) {
    if (template == null) {
      return null;
    }
    JsonObject data = facts == null ? new JsonObject() : facts.variables().copy();
    data.put("phone_number", m.from()).put("message", m.text());
    return Renderer.render(template, Renderer.Variables.of(data)).text();
  }

  /** Compiles (once) a rule's expression, case-insensitive. */
  static Pattern pattern(String regex) {
    if (PATTERNS.size() > 10_000) {
      PATTERNS.clear(); // expressions of rules changed or deleted long ago
    }
    return PATTERNS.computeIfAbsent(
        regex, r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
  }

  private static String digits(String number) {
    return number == null ? "" : number.replaceAll("[^0-9A-Za-z]", "").toLowerCase(Locale.ROOT);
  }
}
