package herald.media;

import herald.channel.ChannelSender;
import herald.channel.MediaSink;
import herald.channel.ProviderType;
import herald.channel.registry.Channels;
import herald.platform.database.Ids;
import herald.platform.http.ApiException;
import herald.sender.Sender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Media files: uploads checked by content and size, handed to the sender's provider and kept under
 * {@code <data_dir>/media}; and the files that arrive with inbound messages ({@link MediaSink}).
 * Blocking file work (hashing) runs on worker threads.
 */
public final class MediaService implements MediaSink {
  private final Vertx vertx;
  private final MediaStore store;
  private final Path dataDir;

  public MediaService(Vertx vertx, Pool pool, Path dataDir) {
    this.vertx = vertx;
    this.store = new MediaStore(pool);
    this.dataDir = dataDir;
  }

  /** The directory media files live in. */
  Path directory() {
    return dataDir.resolve("media");
  }

  /**
   * Takes an uploaded file (already on disk at {@code file}, which this moves or deletes):
   * recognises its kind by its bytes, checks WhatsApp's limit for that kind, uploads it to {@code
   * sender}'s provider and stores it.
   *
   * @return the stored media; fails with 422 (not a supported kind), 413 (over the kind's limit),
   *     422 (the sender's provider takes no media) or 502 (the provider refused it)
   */
  Future<Media> upload(Sender sender, Path file, long size, String fileName) {
    ProviderType<?> type = Channels.type(sender.provider());
    if (type == null || !type.acceptsMedia()) {
      return discard(
          file,
          ApiException.validation(
              "sender_id",
              "media_not_supported",
              sender.provider() + " senders take no media uploads"));
    }
    return head(file)
        .compose(
            head -> {
              MediaKind kind = MediaKind.detect(head);
              if (kind == null) {
                return discard(
                    file,
                    ApiException.validation(
                        "file",
                        "unsupported_type",
                        "the file is not JPEG, PNG, WebP, PDF, MP4, MP3 or OGG (checked by its"
                            + " content)"));
              }
              if (size > kind.maxBytes()) {
                return discard(
                    file,
                    ApiException.payloadTooLarge(
                        kind.mimeType()
                            + " files may be at most "
                            + kind.maxBytes()
                            + " bytes; this one has "
                            + size));
              }
              ChannelSender channelSender = sender.toChannelSender();
              UUID id = Ids.newId();
              Path target = MediaStore.file(dataDir, id);
              return type.uploadMedia(vertx, channelSender, file, fileName, kind.mimeType())
                  .recover(
                      err ->
                          discard(
                              file,
                              new ApiException(
                                  502,
                                  "provider-refused",
                                  "The provider refused the file",
                                  String.valueOf(err.getMessage()))))
                  .compose(
                      providerId ->
                          vertx
                              .fileSystem()
                              .move(file.toString(), target.toString())
                              .compose(v -> sha256(target))
                              .compose(
                                  sha ->
                                      store.insert(
                                          new Media(
                                              id,
                                              sender.accountId(),
                                              sender.id(),
                                              "outbound",
                                              kind.mimeType(),
                                              size,
                                              sha,
                                              fileName,
                                              providerId,
                                              null))));
            });
  }

  /** Stores a file an inbound message brought (see {@link MediaSink}). */
  @Override
  public Future<UUID> received(
      ChannelSender sender,
      String providerMediaId,
      String mimeType,
      String fileName,
      Buffer content) {
    UUID id = Ids.newId();
    Path target = MediaStore.file(dataDir, id);
    return vertx
        .fileSystem()
        .mkdirs(directory().toString())
        .compose(v -> vertx.fileSystem().writeFile(target.toString(), content))
        .compose(v -> vertx.executeBlocking(() -> hex(content.getBytes()), false))
        .compose(
            sha ->
                store.insert(
                    new Media(
                        id,
                        sender.accountId(),
                        sender.id(),
                        "inbound",
                        mimeType,
                        content.length(),
                        sha,
                        fileName,
                        providerMediaId,
                        null)))
        .map(Media::id);
  }

  private Future<Buffer> head(Path file) {
    return vertx
        .fileSystem()
        .open(file.toString(), new OpenOptions().setRead(true))
        .compose(
            f ->
                f.read(Buffer.buffer(MediaKind.HEAD), 0, 0, MediaKind.HEAD)
                    .eventually(() -> f.close()));
  }

  private <T> Future<T> discard(Path file, Throwable err) {
    return vertx.fileSystem().delete(file.toString()).transform(v -> Future.failedFuture(err));
  }

  private Future<String> sha256(Path file) {
    return vertx.executeBlocking(
        () -> {
          MessageDigest digest = digest();
          try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[64 * 1024];
            for (int n; (n = in.read(chunk)) > 0; ) {
              digest.update(chunk, 0, n);
            }
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return HexFormat.of().formatHex(digest.digest());
        },
        false);
  }

  private static String hex(byte[] content) {
    return HexFormat.of().formatHex(digest().digest(content));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
