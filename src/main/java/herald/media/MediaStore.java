package herald.media;

import herald.platform.database.Rows;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.UUID;

/** All SQL about media files; the bytes live under {@code <data_dir>/media/<id>}. */
public final class MediaStore {
  static final String COLUMNS =
      "id, account_id, sender_id, direction, mime_type, size_bytes, sha256, file_name,"
          + " provider_media_id, created_at";

  private final Pool pool;

  public MediaStore(Pool pool) {
    this.pool = pool;
  }

  /** Where the bytes of media {@code id} are kept. */
  public static Path file(Path dataDir, UUID id) {
    return dataDir.resolve("media").resolve(id.toString());
  }

  Future<Media> insert(Media m) {
    return pool.preparedQuery(
            "INSERT INTO media (id, account_id, sender_id, direction, mime_type, size_bytes, sha256,"
                + " file_name, provider_media_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                + " RETURNING "
                + COLUMNS)
        .execute(
            Tuple.from(
                new Object[] {
                  m.id(),
                  m.accountId(),
                  m.senderId(),
                  m.direction(),
                  m.mimeType(),
                  m.sizeBytes(),
                  m.sha256(),
                  m.fileName(),
                  m.providerMediaId()
                }))
        .map(rows -> Rows.first(rows, Media::from));
  }

  /** The account's media of this id, or null (another account's is null too). */
  public Future<Media> get(UUID accountId, UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM media WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> Rows.first(rows, Media::from));
  }
}
