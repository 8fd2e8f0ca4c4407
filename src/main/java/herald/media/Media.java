package herald.media;

import herald.platform.database.Rows;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/** A stored media file as the API shows it. */
public record Media(
    UUID id,
    UUID accountId,
    UUID senderId,
    String direction,
    String mimeType,
    long sizeBytes,
    String sha256,
    String fileName,
    String providerMediaId,
    String createdAt) {

  static Media from(Row row) {
    return new Media(
        row.getUUID("id"),
        row.getUUID("account_id"),
        row.getUUID("sender_id"),
        row.getString("direction"),
        row.getString("mime_type"),
        row.getLong("size_bytes"),
        row.getString("sha256"),
        row.getString("file_name"),
        row.getString("provider_media_id"),
        Rows.iso(row, "created_at"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("direction", direction)
        .put("sender_id", senderId.toString())
        .put("mime_type", mimeType)
        .put("size_bytes", sizeBytes)
        .put("sha256", sha256)
        .put("file_name", fileName)
        .put("provider_media_id", providerMediaId)
        .put("created_at", createdAt)
        .put("content_url", "/api/v1/media/" + id + "/content");
  }
}
