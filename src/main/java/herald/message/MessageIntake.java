package herald.message;

import herald.account.AccountStore;
import herald.blacklist.BlacklistStore;
import herald.channel.ContentFormat;
import herald.channel.registry.Channels;
import herald.platform.database.GroupCommit;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import herald.sender.Sender;
import herald.sender.SenderStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
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
  private final ServiceWindows windows;
  private final herald.media.MediaStore media;
  private final herald.contact.ContactStore contacts;

  /**
   * Blacklist lookups: those of requests arriving while one is under way are answered by the next
   * query together, so concurrent single sends do not each cost a query; an idle gateway asks at
   * once. Bound to the event loop of the first request (one intake per HTTP verticle).
   */
  private GroupCommit<UUID, List<String>, Set<String>> blacklistLookups;

  private static final GroupCommit.Options LOOKUPS =
      new GroupCommit.Options(Duration.ZERO, 2, MAX_BATCH, false);

  MessageIntake(Pool pool) {
    this.contacts = new herald.contact.ContactStore(pool);
    this.media = new herald.media.MediaStore(pool);
    this.windows = new ServiceWindows(pool);
    this.blacklist = new BlacklistStore(pool);
    this.senders = new SenderStore(pool);
    this.accounts = new AccountStore(pool);
  }

  /** The validated items of a request, and the problems of the others. */
  record Checked(
      List<MessageStore.NewMessage> accepted,
      Map<UUID, Sender> senders,
      List<SendRequest.ItemError> errors) {}

  /**
   * Validates every item, resolves senders (named, or the default of the item's channel), checks
   * each item's content by its sender's channel ({@link ContentFormat}), the blacklist and, for
   * free-form messages of channels that have one, the contact's customer-service window; builds the
   * rows to insert.
   */
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
                  .compose(found -> prepare(accountId, drafts, found, errors));
            });
  }

  /** A draft whose sender and content passed, waiting for the blacklist and window checks. */
  private record Ready(SendRequest.Draft draft, Sender sender, ContentFormat.Prepared prepared) {}

  /** The items not blacklisted, and those of them outside their service window. */
  private record Screened(List<Ready> allowed, Set<Ready> closed) {}

  private Future<Checked> prepare(
      UUID accountId,
      List<SendRequest.Draft> drafts,
      Map<String, Sender> found,
      List<SendRequest.ItemError> errors) {
    List<Ready> ready = new ArrayList<>();
    for (SendRequest.Draft d : drafts) {
      Sender sender =
          found.get(
              d.senderId() != null
                  ? d.senderId().toString()
                  : DEFAULT + (d.channel() == null ? Channels.DEFAULT_CHANNEL : d.channel()));
      String channel = d.channel() == null ? Channels.DEFAULT_CHANNEL : d.channel();
      if (sender == null) {
        errors.add(
            new SendRequest.ItemError(
                d.index(),
                "sender_id",
                d.senderId() == null ? "no_sender" : "unknown_sender",
                d.senderId() == null
                    ? "the account has no default " + channel + " sender; pass sender_id"
                    : "no active sender with this id"));
        continue;
      }
      if (d.channel() != null && !d.channel().equals(sender.channel())) {
        errors.add(
            new SendRequest.ItemError(
                d.index(),
                "channel",
                "channel_mismatch",
                "the sender carries " + sender.channel() + ", not " + d.channel()));
        continue;
      }
      ContentFormat format = Channels.contentFormat(sender.channel());
      if (format == null) {
        errors.add(
            new SendRequest.ItemError(
                d.index(),
                "sender_id",
                "unsupported_channel",
                sender.channel() + " senders do not send through /messages"));
        continue;
      }
      List<FieldError> problems = new ArrayList<>();
      ContentFormat.Prepared prepared = format.prepare(d.body(), d.content(), problems);
      if (prepared == null) {
        FieldError first = problems.get(0);
        errors.add(
            new SendRequest.ItemError(d.index(), first.field(), first.code(), first.detail()));
        continue;
      }
      ready.add(new Ready(d, sender, prepared));
    }
    return resolveMedia(accountId, ready, errors)
        .compose(withMedia -> render(accountId, withMedia, errors))
        .compose(rendered -> screen(accountId, rendered, errors));
  }

  /**
   * Fills the placeholders ({@code {{first_name}}}, ...) of the texts a recipient's data may fill
   * in ({@link ContentFormat#renderTexts}: WhatsApp template parameters) from the recipient's
   * contact, with the shared template engine; an item with a placeholder nothing fills is refused
   * ({@code missing_variable}).
   */
  private Future<List<Ready>> render(
      UUID accountId, List<Ready> ready, List<SendRequest.ItemError> errors) {
    List<Ready> templated = ready.stream().filter(MessageIntake::hasPlaceholders).toList();
    if (templated.isEmpty()) {
      return Future.succeededFuture(ready);
    }
    List<String> phones = templated.stream().map(r -> r.draft().to()).distinct().toList();
    return contacts
        .byPhones(accountId, phones)
        .map(
            found -> {
              List<Ready> out = new ArrayList<>();
              for (Ready r : ready) {
                if (!templated.contains(r)) {
                  out.add(r);
                  continue;
                }
                herald.contact.Contact contact = found.get(r.draft().to());
                herald.template.Renderer.Variables variables =
                    contact == null
                        ? herald.template.Renderer.Variables.of(new JsonObject())
                        : herald.template.Renderer.Variables.of(contact);
                Set<String> missing = new java.util.TreeSet<>();
                ContentFormat format = Channels.contentFormat(r.sender().channel());
                JsonObject content =
                    format.renderTexts(
                        r.prepared().content(),
                        text -> {
                          herald.template.Renderer.Result result =
                              herald.template.Renderer.render(text, variables);
                          missing.addAll(result.missing());
                          return result.text();
                        });
                if (!missing.isEmpty()) {
                  errors.add(
                      new SendRequest.ItemError(
                          r.draft().index(),
                          "content",
                          "missing_variable",
                          (contact == null ? "no contact has this number; " : "")
                              + "nothing fills "
                              + String.join(", ", missing)));
                  continue;
                }
                ContentFormat.Prepared p = r.prepared();
                out.add(
                    new Ready(
                        r.draft(),
                        r.sender(),
                        new ContentFormat.Prepared(
                            p.body(), content, p.encoding(), p.segments(), p.freeForm())));
              }
              return out;
            });
  }

  /**
   * Items whose content sends an uploaded file ({@link ContentFormat#mediaRef}) get the provider's
   * id of it; the file must be the account's, uploaded for the item's sender, and of a type the
   * message type takes ({@code unknown_media} otherwise).
   */
  private Future<List<Ready>> resolveMedia(
      UUID accountId, List<Ready> ready, List<SendRequest.ItemError> errors) {
    List<Future<herald.media.Media>> lookups = new ArrayList<>();
    for (Ready r : ready) {
      ContentFormat.MediaRef ref =
          r.prepared().content() == null
              ? null
              : Channels.contentFormat(r.sender().channel()).mediaRef(r.prepared().content());
      lookups.add(ref == null ? Future.succeededFuture() : media.get(accountId, ref.mediaId()));
    }
    return Future.all(lookups)
        .map(
            all -> {
              List<Ready> out = new ArrayList<>();
              for (int i = 0; i < ready.size(); i++) {
                Ready r = ready.get(i);
                ContentFormat format = Channels.contentFormat(r.sender().channel());
                ContentFormat.MediaRef ref =
                    r.prepared().content() == null ? null : format.mediaRef(r.prepared().content());
                if (ref == null) {
                  out.add(r);
                  continue;
                }
                herald.media.Media found = lookups.get(i).result();
                if (found == null
                    || !found.senderId().equals(r.sender().id())
                    || found.providerMediaId() == null
                    || !herald.media.MediaKind.sendableAs(found.mimeType(), ref.messageType())) {
                  errors.add(
                      new SendRequest.ItemError(
                          r.draft().index(),
                          "content." + ref.messageType() + ".media_id",
                          "unknown_media",
                          "no "
                              + ref.messageType()
                              + " file with this id was uploaded for the sender"));
                  continue;
                }
                ContentFormat.Prepared p = r.prepared();
                out.add(
                    new Ready(
                        r.draft(),
                        r.sender(),
                        new ContentFormat.Prepared(
                            p.body(),
                            format.withProviderMedia(p.content(), found.providerMediaId()),
                            p.encoding(),
                            p.segments(),
                            p.freeForm())));
              }
              return out;
            });
  }

  /** Whether a recipient's data fills some text of the item's content. */
  private static boolean hasPlaceholders(Ready r) {
    if (r.prepared().content() == null) {
      return false;
    }
    List<String> texts = new ArrayList<>();
    Channels.contentFormat(r.sender().channel())
        .renderTexts(
            r.prepared().content(),
            text -> {
              texts.add(text);
              return text;
            });
    return texts.stream().anyMatch(t -> !herald.template.Renderer.variables(t).isEmpty());
  }

  private Future<Checked> screen(
      UUID accountId, List<Ready> ready, List<SendRequest.ItemError> errors) {
    Set<String> numbers = new HashSet<>();
    ready.forEach(r -> numbers.add(r.draft().to()));
    return blacklisted(accountId, List.copyOf(numbers))
        .compose(
            blacklisted -> {
              List<Ready> allowed = new ArrayList<>();
              for (Ready r : ready) {
                if (blacklisted.contains(r.draft().to())) {
                  errors.add(
                      new SendRequest.ItemError(
                          r.draft().index(),
                          "to",
                          "blacklisted",
                          r.draft().to() + " is on the account's blacklist"));
                } else {
                  allowed.add(r);
                }
              }
              return openWindows(allowed).map(closed -> new Screened(allowed, closed));
            })
        .map(
            screened -> {
              List<MessageStore.NewMessage> accepted = new ArrayList<>();
              Map<UUID, Sender> used = new HashMap<>();
              for (Ready r : screened.allowed()) {
                if (screened.closed().contains(r)) {
                  errors.add(
                      new SendRequest.ItemError(
                          r.draft().index(),
                          "to",
                          OUTSIDE_WINDOW,
                          r.draft().to()
                              + " has not written to this sender within "
                              + Channels.contentFormat(r.sender().channel())
                                  .serviceWindow()
                                  .toHours()
                              + " hours: only template messages may be sent"));
                  continue;
                }
                SendRequest.Draft d = r.draft();
                ContentFormat.Prepared p = r.prepared();
                used.put(r.sender().id(), r.sender());
                accepted.add(
                    new MessageStore.NewMessage(
                        Ids.newId(),
                        r.sender().id(),
                        d.to(),
                        r.sender().from(),
                        p.body(),
                        p.encoding(),
                        p.segments(),
                        d.scheduledAt(),
                        d.metadata(),
                        d.callbackUrl(),
                        p.content()));
              }
              errors.sort((a, b) -> Integer.compare(a.index(), b.index()));
              return new Checked(accepted, used, errors);
            });
  }

  /** Which of {@code numbers} are on the account's blacklist (possibly with others' numbers). */
  private Future<Set<String>> blacklisted(UUID accountId, List<String> numbers) {
    if (blacklistLookups == null) {
      blacklistLookups =
          new GroupCommit<>(
              Vertx.currentContext(),
              LOOKUPS,
              (account, lists) ->
                  blacklist
                      .listed(account, lists.stream().flatMap(List::stream).distinct().toList())
                      .map(Set::copyOf),
              List::size);
    }
    return blacklistLookups.submit(accountId, numbers);
  }

  /** The error code of a free-form message to a contact outside the customer-service window. */
  static final String OUTSIDE_WINDOW = "outside_customer_service_window";

  /**
   * Whether each item may be sent now, in item order: free-form messages of channels with a
   * customer-service window need the contact to have written to the sender within it.
   */
  /** The items outside their sender's customer-service window (free-form on a windowed channel). */
  private Future<Set<Ready>> openWindows(List<Ready> items) {
    Map<UUID, List<Ready>> bySender = new LinkedHashMap<>();
    for (Ready r : items) {
      Duration window = Channels.contentFormat(r.sender().channel()).serviceWindow();
      if (window != null && r.prepared().freeForm()) {
        bySender.computeIfAbsent(r.sender().id(), k -> new ArrayList<>()).add(r);
      }
    }
    List<Future<Set<String>>> lookups = new ArrayList<>();
    List<UUID> order = new ArrayList<>(bySender.keySet());
    for (UUID senderId : order) {
      List<Ready> list = bySender.get(senderId);
      Duration window = Channels.contentFormat(list.get(0).sender().channel()).serviceWindow();
      lookups.add(
          windows.openFor(
              senderId, list.stream().map(r -> r.draft().to()).distinct().toList(), window));
    }
    return Future.all(lookups)
        .map(
            all -> {
              // By identity: a record's hashCode would hash its sender's settings and the draft.
              Set<Ready> closed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
              for (int i = 0; i < order.size(); i++) {
                Set<String> contacts = lookups.get(i).result();
                for (Ready r : bySender.get(order.get(i))) {
                  if (!contacts.contains(r.draft().to())) {
                    closed.add(r);
                  }
                }
              }
              return closed;
            });
  }

  private static final String DEFAULT = "default:";

  /**
   * The senders the drafts name (those that exist and are active), keyed by id, plus each named
   * channel's default sender, keyed {@code default:<channel>}.
   */
  private Future<Map<String, Sender>> resolveSenders(
      UUID accountId, List<SendRequest.Draft> drafts) {
    Set<UUID> wanted = new HashSet<>();
    Set<String> defaults = new java.util.TreeSet<>();
    for (SendRequest.Draft d : drafts) {
      if (d.senderId() != null) {
        wanted.add(d.senderId());
      } else {
        defaults.add(d.channel() == null ? Channels.DEFAULT_CHANNEL : d.channel());
      }
    }
    List<String> keys = new ArrayList<>();
    List<Future<Sender>> lookups = new ArrayList<>();
    wanted.forEach(
        id -> {
          keys.add(id.toString());
          lookups.add(senders.getCached(accountId, id));
        });
    defaults.forEach(
        channel -> {
          keys.add(DEFAULT + channel);
          lookups.add(senders.defaultForCached(accountId, channel));
        });
    return Future.all(lookups)
        .map(
            all -> {
              Map<String, Sender> found = new HashMap<>();
              for (int i = 0; i < lookups.size(); i++) {
                Sender sender = lookups.get(i).result();
                if (sender != null && sender.active()) {
                  found.put(keys.get(i), sender);
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
