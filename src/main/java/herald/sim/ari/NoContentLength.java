package herald.sim.ari;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;

/**
 * Puts {@code Content-Length: 0} back into 204 answers. Asterisk sends it and some ARI clients are
 * reported to wait for it, but Netty's HTTP encoder strips it from every 204; this handler sits
 * between the encoder and the socket and adds it to the encoded header block.
 *
 * <p>It reaches the Netty channel through Vert.x's internal {@link ConnectionBase}; on a Vert.x
 * whose connections are not one, it does nothing and 204s go out without the header.
 */
final class NoContentLength extends ChannelOutboundHandlerAdapter {
  private static final byte[] STATUS = "HTTP/1.1 204 ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEADER = "Content-Length: 0\r\n".getBytes(StandardCharsets.US_ASCII);

  /** Installs the handler on an HTTP/1.x server connection. */
  static void install(HttpConnection connection) {
    if (connection instanceof ConnectionBase base
        && base.channel().pipeline().get(NoContentLength.class) == null) {
      base.channel().pipeline().addFirst("ari-no-content-length", new NoContentLength());
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf buf && startsWith204(buf)) {
      int lineEnd = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) '\n');
      if (lineEnd > 0 && !hasContentLength(buf)) {
        int split = lineEnd + 1 - buf.readerIndex();
        ByteBuf out = ctx.alloc().buffer(buf.readableBytes() + HEADER.length);
        out.writeBytes(buf, buf.readerIndex(), split);
        out.writeBytes(HEADER);
        out.writeBytes(buf, buf.readerIndex() + split, buf.readableBytes() - split);
        buf.release();
        ctx.write(out, promise);
        return;
      }
    }
    ctx.write(msg, promise);
  }

  private static boolean startsWith204(ByteBuf buf) {
    if (buf.readableBytes() < STATUS.length) {
      return false;
    }
    for (int i = 0; i < STATUS.length; i++) {
      if (buf.getByte(buf.readerIndex() + i) != STATUS[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasContentLength(ByteBuf buf) {
    return buf.toString(StandardCharsets.US_ASCII).toLowerCase().contains("\ncontent-length:");
  }
}
