package herald.channel.whatsapp.cloud;

import herald.channel.CallbackContext;
import herald.channel.ChannelSender;
import herald.channel.Provider;
import herald.channel.ProviderContext;
import herald.channel.ProviderType;
import herald.channel.SettingsInput;
import herald.channel.whatsapp.WhatsApp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * WhatsApp Cloud API senders (Graph API): one business phone number each, identified by its {@code
 * phone_number_id} in a WhatsApp Business Account ({@code waba_id}). Sends through {@code POST
 * /{api_version}/{phone_number_id}/messages} with the {@code access_token} secret; Meta's webhooks
 * come to {@code /webhooks/whatsapp}, signed with the app's {@code app_secret} and set up with
 * {@code verify_token} (see {@link WhatsAppWebhooks}).
 */
public final class WhatsAppCloudType implements ProviderType<WhatsAppCloudType.Settings> {
  public static final String NAME = "whatsapp_cloud";
  static final String DEFAULT_GRAPH_URL = "https://graph.facebook.com";
  static final String DEFAULT_API_VERSION = "v23.0";

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");
  private static final Pattern VERSION = Pattern.compile("v[0-9]{1,3}\\.[0-9]{1,3}");
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{4,14}");

  /**
   * A WhatsApp sender's settings; {@code accessToken} and {@code appSecret} are the secrets.
   *
   * @param phoneNumber the business number in E.164 (the messages' {@code from}), or null
   */
  public record Settings(
      String phoneNumberId,
      String wabaId,
      String accessToken,
      String appSecret,
      String verifyToken,
      String graphUrl,
      String apiVersion,
      String phoneNumber) {
    @Override
    public String toString() {
      return "WhatsAppCloudSettings["
          + phoneNumberId
          + ", waba="
          + wabaId
          + ", "
          + graphUrl
          + "/"
          + apiVersion
          + "]";
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String channel() {
    return WhatsApp.CHANNEL;
  }

  @Override
  public Set<String> keys() {
    return Set.of(
        "phone_number_id",
        "waba_id",
        "access_token",
        "app_secret",
        "verify_token",
        "graph_url",
        "api_version",
        "phone_number");
  }

  @Override
  public Set<String> secretKeys() {
    return Set.of("access_token", "app_secret");
  }

  @Override
  public Settings read(SettingsInput in) {
    String phoneNumberId = digits(in, "phone_number_id");
    String wabaId = digits(in, "waba_id");
    String token = in.requiredString("access_token", 1024);
    String appSecret = in.requiredString("app_secret", 256);
    String verifyToken = in.requiredString("verify_token", 256);
    String graphUrl = in.url("graph_url", DEFAULT_GRAPH_URL);
    Object version = in.values().getValue("api_version");
    if (version == null) {
      in.values().put("api_version", DEFAULT_API_VERSION);
      version = DEFAULT_API_VERSION;
    } else if (!(version instanceof String v) || !VERSION.matcher(v).matches()) {
      in.error("api_version", "invalid_value", "settings.api_version is a Graph version: v23.0");
    }
    String phoneNumber = in.optionalString("phone_number", 16);
    if (phoneNumber != null && !E164.matcher(phoneNumber).matches()) {
      in.error("phone_number", "invalid_value", "settings.phone_number is E.164: +15551234567");
    }
    return new Settings(
        phoneNumberId,
        wabaId,
        token,
        appSecret,
        verifyToken,
        graphUrl,
        String.valueOf(version),
        phoneNumber);
  }

  private static String digits(SettingsInput in, String key) {
    String value = in.requiredString(key, 20);
    if (value != null && !DIGITS.matcher(value).matches()) {
      in.error(key, "invalid_value", "settings." + key + " is the id Meta shows: digits only");
      return null;
    }
    return value;
  }

  @Override
  public Settings settings(ChannelSender sender) {
    JsonObject s = sender.settings();
    return new Settings(
        s.getString("phone_number_id"),
        s.getString("waba_id"),
        sender.secrets().getString("access_token"),
        sender.secrets().getString("app_secret"),
        s.getString("verify_token"),
        s.getString("graph_url", DEFAULT_GRAPH_URL),
        s.getString("api_version", DEFAULT_API_VERSION),
        s.getString("phone_number"));
  }

  @Override
  public String accountKey(ChannelSender sender) {
    return NAME + "|" + sender.settings().getString("phone_number_id");
  }

  /** The business number when given, else the phone-number id. */
  @Override
  public String sourceAddress(JsonObject settings) {
    String number = settings.getString("phone_number");
    return number != null ? number : settings.getString("phone_number_id");
  }

  @Override
  public Provider open(ProviderContext context, ChannelSender sender) {
    return new WhatsAppCloudProvider(sender, settings(sender), context.context());
  }

  @Override
  public void mount(Router root, CallbackContext context) {
    new WhatsAppWebhooks(context).mount(root);
  }

  /**
   * Every page of {@code GET /{version}/{waba_id}/message_templates}, following {@code
   * paging.next}, at most {@value #MAX_TEMPLATE_PAGES} pages.
   */
  @Override
  public Future<List<JsonObject>> templates(Vertx vertx, ChannelSender sender) {
    Settings settings = settings(sender);
    GraphClient graph = new GraphClient(vertx, settings);
    List<JsonObject> all = new ArrayList<>();
    return templatePage(
            graph,
            graph.get(
                settings.wabaId()
                    + "/message_templates?limit=100&fields=name,language,status,category,components"),
            all,
            1)
        .eventually(
            () -> {
              graph.close();
              return Future.succeededFuture();
            });
  }

  static final int MAX_TEMPLATE_PAGES = 50;

  private static Future<List<JsonObject>> templatePage(
      GraphClient graph,
      Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>> request,
      List<JsonObject> all,
      int page) {
    return request.compose(
        response -> {
          if (response.statusCode() != 200) {
            JsonObject error = GraphClient.error(response);
            return Future.failedFuture(
                new IllegalStateException(
                    error == null
                        ? "HTTP " + response.statusCode() + " from the Cloud API"
                        : WhatsAppCloudProvider.details(error)
                            + " (Cloud API error "
                            + error.getValue("code")
                            + ")"));
          }
          JsonObject body = response.bodyAsJsonObject();
          for (Object item : body.getJsonArray("data", new io.vertx.core.json.JsonArray())) {
            if (item instanceof JsonObject t) {
              all.add(
                  new JsonObject()
                      .put("name", t.getString("name"))
                      .put("language", t.getString("language"))
                      .put("status", t.getString("status"))
                      .put("category", t.getString("category"))
                      .put(
                          "components",
                          t.getJsonArray("components", new io.vertx.core.json.JsonArray())));
            }
          }
          JsonObject paging = body.getJsonObject("paging");
          String next = paging == null ? null : paging.getString("next");
          if (next == null || page >= MAX_TEMPLATE_PAGES) {
            return Future.succeededFuture(all);
          }
          return templatePage(graph, graph.getAbsolute(next), all, page + 1);
        });
  }

  @Override
  public boolean acceptsMedia() {
    return true;
  }

  /**
   * {@code POST /{version}/{phone_number_id}/media} (multipart: {@code messaging_product}, {@code
   * type}, {@code file}); answers the Cloud API's media id, or fails with Meta's reason.
   */
  @Override
  public Future<String> uploadMedia(
      Vertx vertx, ChannelSender sender, Path file, String fileName, String mimeType) {
    Settings settings = settings(sender);
    GraphClient graph = new GraphClient(vertx, settings);
    MultipartForm form =
        MultipartForm.create()
            .attribute("messaging_product", "whatsapp")
            .attribute("type", mimeType)
            .binaryFileUpload(
                "file", fileName == null ? "file" : fileName, file.toString(), mimeType);
    return graph
        .post(settings.phoneNumberId() + "/media")
        .sendMultipartForm(form)
        .eventually(
            () -> {
              graph.close();
              return Future.succeededFuture();
            })
        .compose(
            response -> {
              String id = null;
              if (response.statusCode() == 200) {
                try {
                  id = response.bodyAsJsonObject().getString("id");
                } catch (RuntimeException e) {
                  id = null;
                }
              }
              if (id != null) {
                return Future.succeededFuture(id);
              }
              JsonObject error = GraphClient.error(response);
              return Future.failedFuture(
                  new IllegalStateException(
                      error == null
                          ? "HTTP " + response.statusCode() + " from the Cloud API"
                          : WhatsAppCloudProvider.details(error)
                              + " (Cloud API error "
                              + error.getValue("code")
                              + ")"));
            });
  }
}
