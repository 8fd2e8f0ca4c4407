package herald.message;

import herald.account.AccountStore;
import herald.blacklist.BlacklistStore;
import herald.channel.registry.Channels;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.sender.Sender;
import herald.sender.SenderStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The checks of a send request, shared by sending and the dry run: the body read as one item or a
 * batch, each item validated on its own, senders resolved (named or the account's default), the
 * blacklist applied, and the rows to insert built.
 */
final class MessageIntake {
  static final int MAX_BATCH = MessageRoutes.MAX_BATCH;

  private final BlacklistStore blacklist;
  private final SenderStore senders;
  private final AccountStore accounts;

  MessageIntake(Pool pool) {
    this.blacklist = new BlacklistStore(pool);
    this.senders = new SenderStore(pool);
    this.accounts = new AccountStore(pool);
  }

  /** The validated items of a request, and the problems of the others. */
  record Checked(
      List<MessageStore.NewMessage> accepted,
      Map<UUID, Sender> senders,
      List<SendRequest.ItemError> errors) {}

  /** Validates every item, resolves senders and the blacklist, and builds the rows to insert. */
  Future<Checked> check(UUID accountId, List<Object> items) {
    return accounts
        .getCached(accountId)
        .compose(
            account -> {
              String region =
                  account == null ? null : account.settings().getString("default_region");
              List<SendRequest.Draft> drafts = new ArrayList<>();
              List<SendRequest.ItemError> errors = new ArrayList<>();
              for (int i = 0; i < items.size(); i++) {
                SendRequest.Result result = SendRequest.parse(i, items.get(i), region);
                if (result.error() != null) {
                  errors.add(result.error());
                } else {
                  drafts.add(result.draft());
                }
              }
              return resolveSenders(accountId, drafts)
                  .compose(
                      found -> {
                        Set<String> numbers = new HashSet<>();
                        drafts.forEach(d -> numbers.add(d.to()));
                        return blacklist
                            .listed(accountId, List.copyOf(numbers))
                            .map(
                                blocked -> {
                                  Set<String> blacklisted = new HashSet<>(blocked);
                                  List<MessageStore.NewMessage> accepted = new ArrayList<>();
                                  Map<UUID, Sender> used = new HashMap<>();
                                  for (SendRequest.Draft d : drafts) {
                                    Sender sender =
                                        found.get(d.senderId() == null ? DEFAULT : d.senderId());
                                    if (sender == null) {
                                      errors.add(
                                          new SendRequest.ItemError(
                                              d.index(),
                                              "sender_id",
                                              d.senderId() == null ? "no_sender" : "unknown_sender",
                                              d.senderId() == null
                                                  ? "the account has no default SMS sender; pass sender_id"
                                                  : "no active SMS sender with this id"));
                                    } else if (blacklisted.contains(d.to())) {
                                      errors.add(
                                          new SendRequest.ItemError(
                                              d.index(),
                                              "to",
                                              "blacklisted",
                                              d.to() + " is on the account's blacklist"));
                                    } else {
                                      used.put(sender.id(), sender);
                                      accepted.add(
                                          new MessageStore.NewMessage(
                                              Ids.newId(),
                                              sender.id(),
                                              d.to(),
                                              sender.from(),
                                              d.body(),
                                              d.encoding(),
                                              d.segments(),
                                              d.scheduledAt(),
                                              d.metadata(),
                                              d.callbackUrl()));
                                    }
                                  }
                                  errors.sort((a, b) -> Integer.compare(a.index(), b.index()));
                                  return new Checked(accepted, used, errors);
                                });
                      });
            });
  }

  private static final UUID DEFAULT = new UUID(0, 0);

  /** The senders the drafts name (those that exist, are active and carry SMS), plus the default. */
  private Future<Map<UUID, Sender>> resolveSenders(UUID accountId, List<SendRequest.Draft> drafts) {
    Set<UUID> wanted = new HashSet<>();
    drafts.stream()
        .map(SendRequest.Draft::senderId)
        .filter(java.util.Objects::nonNull)
        .forEach(wanted::add);
    boolean needDefault = drafts.stream().anyMatch(d -> d.senderId() == null);
    List<Future<Sender>> lookups = new ArrayList<>();
    wanted.forEach(id -> lookups.add(senders.getCached(accountId, id)));
    if (needDefault) {
      lookups.add(senders.defaultForCached(accountId, Channels.DEFAULT_CHANNEL));
    }
    return Future.all(lookups)
        .map(
            all -> {
              Map<UUID, Sender> found = new HashMap<>();
              for (int i = 0; i < lookups.size(); i++) {
                Sender sender = lookups.get(i).result();
                if (sender != null
                    && sender.active()
                    && sender.channel().equals(Channels.DEFAULT_CHANNEL)) {
                  found.put(needDefault && i == lookups.size() - 1 ? DEFAULT : sender.id(), sender);
                }
              }
              return found;
            });
  }

  /** The request body as a list of items: one object, or an array of up to {@value #MAX_BATCH}. */
  static List<Object> items(RoutingContext ctx, Buffer raw) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      throw ApiException.unsupportedMediaType("Expected Content-Type: application/json");
    }
    if (raw == null || raw.length() == 0) {
      throw ApiException.badRequest(
          "Request body is empty; send a message object or an array of them");
    }
    Object parsed;
    try {
      parsed = raw.toJsonValue();
    } catch (DecodeException e) {
      throw ApiException.badRequest("Request body is not valid JSON");
    }
    if (parsed instanceof JsonObject object) {
      return List.of(object);
    }
    if (!(parsed instanceof JsonArray array)) {
      throw ApiException.badRequest("Request body must be a message object or an array of them");
    }
    if (array.isEmpty()) {
      throw ApiException.validation("", "empty", "The array holds no messages");
    }
    if (array.size() > MAX_BATCH) {
      throw ApiException.validation(
          "",
          "too_many_items",
          "At most " + MAX_BATCH + " messages per request; got " + array.size());
    }
    List<Object> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      items.add(array.getValue(i));
    }
    return items;
  }
}
