package herald.platform.http;

import io.vertx.core.Handler;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The body handler of file-upload routes: the file never sits in memory. A {@code
 * multipart/form-data} body goes through Vert.x's {@link BodyHandler}, which streams file parts to
 * the uploads directory and keeps the small form fields; any other body is streamed as it arrives
 * to a temporary file there, with back-pressure. A body over the limit answers 413 (at once when
 * {@code Content-Length} says so). Files are deleted when the response ends. Read the result with
 * {@link #file} and the request's form attributes.
 */
public final class UploadBody implements Handler<RoutingContext> {
  private static final String RAW_FILE = "herald.upload.raw";

  private final BodyHandler multipart;
  private final String directory;
  private final long limit;

  /**
   * @param directory where uploads are written (created when missing)
   * @param limit largest body accepted, in bytes
   */
  public UploadBody(Path directory, long limit) {
    this.directory = directory.toString();
    this.limit = limit;
    this.multipart =
        BodyHandler.create(this.directory)
            .setBodyLimit(limit)
            .setDeleteUploadedFilesOnEnd(true)
            .setMergeFormAttributes(false);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      multipart.handle(ctx);
      return;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && length.matches("[0-9]{1,18}") && Long.parseLong(length) > limit) {
      ctx.fail(413);
      return;
    }
    request.pause();
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      ctx.response().writeContinue();
    }
    FileSystem fs = ctx.vertx().fileSystem();
    fs.mkdirs(directory)
        .compose(v -> fs.createTempFile(directory, "upload-", ".tmp", (String) null))
        .compose(
            path -> {
              ctx.addEndHandler(v -> fs.delete(path));
              return fs.open(path, new OpenOptions().setWrite(true))
                  .onSuccess(file -> copy(ctx, request, file, path));
            })
        .onFailure(ctx::fail);
  }

  /** Copies the request body into {@code file}, pausing the request while the disk is behind. */
  private void copy(RoutingContext ctx, HttpServerRequest request, AsyncFile file, String path) {
    long[] size = {0};
    boolean[] refused = {false};
    request.handler(
        chunk -> {
          if (refused[0]) {
            return; // drained and dropped: the 413 is on its way
          }
          size[0] += chunk.length();
          if (size[0] > limit) {
            refused[0] = true;
            file.close();
            ctx.fail(413);
            return;
          }
          file.write(chunk);
          if (file.writeQueueFull()) {
            request.pause();
            file.drainHandler(v -> request.resume());
          }
        });
    request.exceptionHandler(
        err -> {
          if (!refused[0]) {
            refused[0] = true;
            file.close();
            ctx.fail(err);
          }
        });
    request.endHandler(
        v -> {
          if (refused[0]) {
            return;
          }
          file.close()
              .onSuccess(
                  x -> {
                    ctx.put(RAW_FILE, path);
                    ctx.next();
                  })
              .onFailure(ctx::fail);
        });
    request.resume();
  }

  /**
   * The uploaded file: the multipart file part named {@code field}, or the whole body when it was
   * not multipart; null when the multipart form has no such part.
   */
  public static Path file(RoutingContext ctx, String field) {
    String raw = ctx.get(RAW_FILE);
    if (raw != null) {
      return Path.of(raw);
    }
    for (FileUpload upload : ctx.fileUploads()) {
      if (upload.name().equals(field)) {
        return Path.of(upload.uploadedFileName());
      }
    }
    return null;
  }
}
