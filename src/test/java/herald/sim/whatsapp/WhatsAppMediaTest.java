package herald.sim.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Media through the simulator's Cloud API: upload, URL retrieval, download, delete, inbound. */
@ExtendWith(VertxExtension.class)
class WhatsAppMediaTest {
  /** A JPEG's first bytes (SOI, APP0 "JFIF") and its end marker, with some payload between. */
  static final Buffer JPEG =
      bytes(0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 1, 2, 3, 4, 0xFF, 0xD9);

  static final Buffer PNG = bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13);

  private WebhookSink sink;
  private WhatsAppSimulator sim;
  private CloudApi api;
  private String phone;

  @BeforeEach
  void start(Vertx vertx) {
    sink = WebhookSink.start(vertx);
    sim =
        WhatsAppSimulator.start(
                vertx, WhatsAppSimConfig.defaults().toBuilder().webhookUrl(sink.url()).build())
            .await();
    api = new CloudApi(vertx, sim.baseUrl(), sim.config().accessToken());
    phone = sim.config().phoneNumbers().get(0).id();
  }

  @AfterEach
  void stop() {
    api.close();
    sim.close().await();
  }

  static Buffer bytes(int... values) {
    Buffer buffer = Buffer.buffer();
    for (int v : values) {
      buffer.appendByte((byte) v);
    }
    return buffer;
  }

  private static int code(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error").getInteger("code");
  }

  private static byte[] sha256(Buffer content) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(content.getBytes());
  }

  @Test
  void uploadsAnImageAndServesItsUrlAndBytesBehindTheToken() throws Exception {
    HttpResponse<Buffer> upload = api.upload(phone, "image/jpeg", "photo.jpg", JPEG);
    assertThat(upload.statusCode()).as(upload.bodyAsString()).isEqualTo(200);
    String id = upload.bodyAsJsonObject().getString("id");
    assertThat(id).matches("^[0-9]{15,19}$");

    HttpResponse<Buffer> described = api.get("/v23.0/" + id + "?phone_number_id=" + phone);
    assertThat(described.statusCode()).isEqualTo(200);
    JsonObject info = described.bodyAsJsonObject();
    assertThat(info.getString("id")).isEqualTo(id);
    assertThat(info.getString("messaging_product")).isEqualTo("whatsapp");
    assertThat(info.getString("mime_type")).isEqualTo("image/jpeg");
    assertThat(info.getString("file_size")).isEqualTo(Integer.toString(JPEG.length()));
    assertThat(info.getString("sha256")).isEqualTo(HexFormat.of().formatHex(sha256(JPEG)));

    String url = info.getString("url");
    HttpResponse<Buffer> download = api.getAbsolute(url, true);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.getHeader("Content-Type")).isEqualTo("image/jpeg");
    assertThat(download.body()).isEqualTo(JPEG);
    assertThat(api.getAbsolute(url, false).statusCode()).isEqualTo(401);
    assertThat(api.getAbsolute(url.replaceAll("hash=[0-9a-f]+", "hash=00"), true).statusCode())
        .isEqualTo(404);
  }

  @Test
  void refusesAFileWhoseContentIsNotItsDeclaredTypeWith131053() {
    HttpResponse<Buffer> pngAsJpeg = api.upload(phone, "image/jpeg", "photo.jpg", PNG);
    HttpResponse<Buffer> textAsPdf =
        api.upload(phone, "application/pdf", "terms.pdf", Buffer.buffer("not a pdf"));

    assertThat(pngAsJpeg.statusCode()).isEqualTo(400);
    assertThat(code(pngAsJpeg)).isEqualTo(131053);
    assertThat(code(textAsPdf)).isEqualTo(131053);
    assertThat(api.upload(phone, "image/png", "photo.png", PNG).statusCode()).isEqualTo(200);
  }

  @Test
  void refusesAnImageOverFiveMegabytesWith131053() {
    Buffer big =
        Buffer.buffer().appendBuffer(JPEG).appendBuffer(Buffer.buffer(new byte[5 * 1024 * 1024]));

    HttpResponse<Buffer> response = api.upload(phone, "image/jpeg", "big.jpg", big);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(code(response)).isEqualTo(131053);
    assertThat(
            response
                .bodyAsJsonObject()
                .getJsonObject("error")
                .getJsonObject("error_data")
                .getString("details"))
        .contains("at most 5242880 bytes");
  }

  @Test
  void refusesAnUnsupportedMediaTypeAndAnUploadToAnUnknownNumber() {
    HttpResponse<Buffer> gif = api.upload(phone, "image/gif", "a.gif", Buffer.buffer("GIF89a"));
    HttpResponse<Buffer> unknownNumber = api.upload("123", "image/jpeg", "photo.jpg", JPEG);

    assertThat(gif.statusCode()).isEqualTo(400);
    assertThat(code(gif)).isEqualTo(100);
    assertThat(code(unknownNumber)).isEqualTo(100);
    assertThat(unknownNumber.bodyAsJsonObject().getJsonObject("error").getInteger("error_subcode"))
        .isEqualTo(33);
  }

  @Test
  void deletesMediaSoItCanNoLongerBeFound() {
    String id =
        api.upload(phone, "image/jpeg", "photo.jpg", JPEG).bodyAsJsonObject().getString("id");

    HttpResponse<Buffer> deleted = api.delete("/v23.0/" + id);
    HttpResponse<Buffer> gone = api.get("/v23.0/" + id);

    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(deleted.bodyAsJsonObject()).isEqualTo(new JsonObject().put("success", true));
    assertThat(gone.statusCode()).isEqualTo(400);
    assertThat(code(gone)).isEqualTo(100);
    assertThat(gone.bodyAsJsonObject().getJsonObject("error").getInteger("error_subcode"))
        .isEqualTo(33);
    assertThat(api.delete("/v23.0/" + id).statusCode()).isEqualTo(400);
  }

  @Test
  void sendsAnInboundImageWhoseMediaTheClientCanDownload() throws Exception {
    HttpResponse<Buffer> response =
        api.control(
            "/_sim/inbound",
            new JsonObject()
                .put("from", "16505551234")
                .put("name", "Sheena Nelson")
                .put("type", "image")
                .put(
                    "image",
                    new JsonObject()
                        .put("mime_type", "image/png")
                        .put("caption", "Taj Mahal")
                        .put("data", Base64.getEncoder().encodeToString(PNG.getBytes()))));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getInteger("webhook_status")).isEqualTo(200);

    WebhookSink.Received webhook = sink.next();
    assertThat(webhook.signedWith(sim.config().appSecret())).isTrue();
    JsonObject contact = webhook.value().getJsonArray("contacts").getJsonObject(0);
    assertThat(contact.getJsonObject("profile").getString("name")).isEqualTo("Sheena Nelson");
    assertThat(contact.getString("wa_id")).isEqualTo("16505551234");
    JsonObject message = webhook.message();
    assertThat(message.getString("id")).isEqualTo(response.bodyAsJsonObject().getString("id"));
    assertThat(message.getString("type")).isEqualTo("image");
    JsonObject image = message.getJsonObject("image");
    assertThat(image.getString("caption")).isEqualTo("Taj Mahal");
    assertThat(image.getString("mime_type")).isEqualTo("image/png");
    assertThat(image.getString("sha256"))
        .isEqualTo(Base64.getEncoder().encodeToString(sha256(PNG)));

    String url = api.get("/v23.0/" + image.getString("id")).bodyAsJsonObject().getString("url");
    assertThat(api.getAbsolute(url, true).body()).isEqualTo(PNG);
  }
}
