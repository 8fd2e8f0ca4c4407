package herald.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Large uploads streamed to a file as they arrive, never held in memory: either a raw body (of one
 * of the accepted content types) or the one file field of a {@code multipart/form-data} form.
 * Routes that use it skip the body handler and {@link #hold} the request first, so nothing of the
 * body is read (or lost) while authentication and the other checks run.
 */
public final class Uploads {
  /** Room for a multipart envelope around a file of the largest accepted size. */
  private static final long MULTIPART_OVERHEAD = 64 * 1024;

  private Uploads() {}

  /**
   * A stored upload.
   *
   * @param fileName the name the client gave the file, or null for a raw body
   * @param form the other multipart fields (empty for a raw body)
   */
  public record Upload(Path file, long size, String fileName, MultiMap form) {}

  /**
   * The first handler of an upload route: pauses the request until {@link #receive} resumes it, and
   * closes the connection after any answer given before the body was read (the unread bytes must
   * not be taken for the next request).
   */
  public static Handler<RoutingContext> hold() {
    return ctx -> {
      ctx.request().pause();
      ctx.addHeadersEndHandler(
          v -> {
            if (!ctx.request().isEnded()) {
              ctx.response().putHeader("Connection", "close");
            }
          });
      ctx.next();
    };
  }

  /**
   * Streams the upload into {@code file} (created; deleted again on failure).
   *
   * @param field the multipart field that holds the file
   * @param rawTypes content types accepted as a raw body
   * @param idleTimeoutSeconds how long the body may go without a byte arriving
   * @return fails with 415 for another content type, 413 (before reading anything when {@code
   *     Content-Length} says so) when the file exceeds {@code maxBytes}, 422 when a form has no
   *     {@code field} file or a form field holds a NUL character, 408 when nothing arrives for
   *     {@code idleTimeoutSeconds} (a truncated body; the connection is closed once that is
   *     answered)
   */
  public static Future<Upload> receive(
      RoutingContext ctx,
      Path file,
      String field,
      Set<String> rawTypes,
      long maxBytes,
      int idleTimeoutSeconds) {
    HttpServerRequest request = ctx.request();
    String type = baseType(request.getHeader("Content-Type"));
    boolean multipart = type.equals("multipart/form-data");
    if (!multipart && !rawTypes.contains(type)) {
      return Future.failedFuture(
          ApiException.unsupportedMediaType(
              "Send the file as multipart/form-data (field '"
                  + field
                  + "') or as the body with Content-Type: "
                  + String.join(", ", rawTypes.stream().sorted().toList())));
    }
    long declared = contentLength(request);
    if (declared > maxBytes + (multipart ? MULTIPART_OVERHEAD : 0)) {
      return Future.failedFuture(tooLarge(maxBytes));
    }
    return ctx.vertx()
        .fileSystem()
        .open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
        .compose(
            out -> {
              Sink sink = new Sink(out, maxBytes);
              Future<Upload> received =
                  watchIdle(
                      ctx,
                      sink,
                      multipart ? multipart(request, sink, field, file) : raw(request, sink, file),
                      idleTimeoutSeconds);
              ctx.response().closeHandler(v -> sink.done.tryFail("the client went away"));
              if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
                ctx.response().writeContinue();
              }
              request.resume();
              return received
                  .compose(upload -> out.close().map(upload))
                  .recover(
                      err ->
                          out.close()
                              .otherwiseEmpty()
                              .compose(
                                  v ->
                                      ctx.vertx()
                                          .fileSystem()
                                          .delete(file.toString())
                                          .otherwiseEmpty())
                              .compose(v -> Future.failedFuture(err)));
            });
  }

  /**
   * {@code received}, or a 408 failure when the whole request has not arrived and no byte of the
   * file has for {@code idleTimeoutSeconds}; after a 408 the connection is closed once the answer
   * is written: the rest of the body is not coming, and bytes already on the connection cannot be
   * told from the next request.
   */
  private static Future<Upload> watchIdle(
      RoutingContext ctx, Sink sink, Future<Upload> received, int idleTimeoutSeconds) {
    Promise<Upload> guarded = Promise.promise();
    long limitNanos = idleTimeoutSeconds * 1_000_000_000L;
    long every = Math.max(100, Math.min(1000, idleTimeoutSeconds * 250L));
    boolean[] timedOut = new boolean[1];
    ctx.addEndHandler(
        v -> {
          if (timedOut[0]) {
            ctx.request().connection().close();
          }
        });
    long timer =
        ctx.vertx()
            .setPeriodic(
                every,
                id -> {
                  if (!sink.paused && System.nanoTime() - sink.lastByteNanos > limitNanos) {
                    ctx.vertx().cancelTimer(id);
                    timedOut[0] = true;
                    ApiException timeout =
                        new ApiException(
                            408,
                            "request-timeout",
                            "Request timeout",
                            "No part of the upload arrived for "
                                + idleTimeoutSeconds
                                + " s; the body is incomplete");
                    sink.done.tryFail(timeout); // stops writing the file
                    guarded.tryFail(timeout);
                  }
                });
    received.onComplete(
        done -> {
          ctx.vertx().cancelTimer(timer);
          if (done.succeeded()) {
            guarded.tryComplete(done.result());
          } else {
            guarded.tryFail(done.cause());
          }
        });
    return guarded.future();
  }

  private static Future<Upload> raw(HttpServerRequest request, Sink sink, Path file) {
    sink.take(request);
    return sink.done
        .future()
        .map(v -> new Upload(file, sink.size, null, MultiMap.caseInsensitiveMultiMap()));
  }

  private static Future<Upload> multipart(
      HttpServerRequest request, Sink sink, String field, Path file) {
    String[] fileName = new String[1];
    boolean[] seen = new boolean[1];
    request.setExpectMultipart(true);
    request.uploadHandler(
        upload -> {
          if (upload.name().equals(field) && !seen[0]) {
            seen[0] = true;
            fileName[0] = upload.filename();
            sink.take(upload);
          } else {
            upload.exceptionHandler(err -> {});
            upload.handler(buffer -> {});
          }
        });
    Promise<Upload> result = Promise.promise();
    // A file over the limit fails at once, without waiting for the rest of the body.
    sink.done.future().onFailure(result::tryFail);
    request
        .end()
        .onFailure(result::tryFail)
        .onSuccess(
            v -> {
              if (!seen[0]) {
                result.tryFail(
                    ApiException.validation(
                        field, "required", "the form has no file in field '" + field + "'"));
                return;
              }
              if (fileName[0] != null && fileName[0].indexOf('\u0000') >= 0) {
                result.tryFail(
                    ApiException.validation(
                        field,
                        "invalid_character",
                        "the file name must not contain the NUL character (U+0000)"));
                return;
              }
              try {
                JsonInput.checkForm(request.formAttributes());
              } catch (ApiException e) {
                result.tryFail(e);
                return;
              }
              sink.done
                  .future()
                  .onSuccess(
                      x ->
                          result.tryComplete(
                              new Upload(file, sink.size, fileName[0], request.formAttributes())));
            });
    return result.future();
  }

  /** Copies a stream into the file with back-pressure, counting bytes against the limit. */
  private static final class Sink {
    final AsyncFile out;
    final long max;
    final Promise<Void> done = Promise.promise();
    long size;

    /** When a byte last arrived (or the file caught up after back-pressure). */
    long lastByteNanos = System.nanoTime();

    /**
     * True while reading is paused because the file is behind: then silence is ours, not theirs.
     */
    boolean paused;

    Sink(AsyncFile out, long max) {
      this.out = out;
      this.max = max;
    }

    void take(ReadStream<Buffer> in) {
      in.exceptionHandler(done::tryFail);
      in.handler(
          buffer -> {
            lastByteNanos = System.nanoTime();
            if (done.future().isComplete()) {
              return;
            }
            size += buffer.length();
            if (size > max) {
              done.tryFail(tooLarge(max));
              return;
            }
            out.write(buffer);
            if (out.writeQueueFull()) {
              paused = true;
              in.pause();
              out.drainHandler(
                  v -> {
                    paused = false;
                    lastByteNanos = System.nanoTime();
                    in.resume();
                  });
            }
          });
      in.endHandler(v -> done.tryComplete());
      out.exceptionHandler(done::tryFail);
    }
  }

  private static ApiException tooLarge(long maxBytes) {
    return ApiException.payloadTooLarge(
        "The file is larger than the limit of " + maxBytes + " bytes");
  }

  private static long contentLength(HttpServerRequest request) {
    String value = request.getHeader("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String baseType(String contentType) {
    return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }
}
