package herald.platform.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the OpenAPI 3.1 document ({@code docs/openapi.json}, packaged in the jar) at {@code
 * /openapi.json}.
 */
public final class OpenApi {
  public static final String RESOURCE = "openapi.json";
  private static final Buffer DOCUMENT = load();

  private OpenApi() {}

  public static void mount(Router root) {
    root.get("/openapi.json")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "public, max-age=300")
                    .end(DOCUMENT));
  }

  /**
   * The document as packaged; read once, at class load, on the thread that deploys the first
   * router.
   */
  public static Buffer document() {
    return DOCUMENT;
  }

  private static Buffer load() {
    try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
