package herald.platform.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Pulls CSV records one at a time from a byte stream (a spooled upload, say) through a {@link
 * CsvReader}, holding one 64 KB chunk and the records decoded from it, whatever the size of the
 * input. The bytes must be UTF-8 text: a NUL byte or an invalid UTF-8 sequence anywhere fails with
 * {@link NotTextException}, which names its byte offset. Blocking: for worker threads.
 */
public final class CsvStream implements Closeable {
  private static final int CHUNK = 64 * 1024;

  /** The input is not UTF-8 text (a spreadsheet, an image, another encoding...). */
  public static final class NotTextException extends RuntimeException {
    private final long offset;

    NotTextException(long offset, String message) {
      super(message, null, false, false);
      this.offset = offset;
    }

    /** Byte offset of the first offending byte. */
    public long offset() {
      return offset;
    }
  }

  private final InputStream in;
  private final CsvReader reader;
  private final ArrayDeque<CsvReader.Row> ready = new ArrayDeque<>();
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(CHUNK);
  private final CharBuffer chars = CharBuffer.allocate(CHUNK);
  private long bytesRead;
  private boolean ended;

  /**
   * @param maxFieldLength longest field accepted (see {@link CsvReader})
   */
  public CsvStream(InputStream in, int maxFieldLength) {
    this.in = in;
    this.reader = new CsvReader(ready::add, maxFieldLength);
  }

  /**
   * The next record, or null at the end of the input.
   *
   * @throws CsvReader.CsvException on malformed CSV (an unterminated quote shows at the end)
   * @throws NotTextException when the input is not UTF-8 text
   */
  public CsvReader.Row next() throws IOException {
    while (ready.isEmpty() && !ended) {
      fill();
    }
    return ready.poll();
  }

  /** Bytes taken from the input so far (read ahead of the records returned by at most 64 KB). */
  public long bytesRead() {
    return bytesRead;
  }

  /** The detected separator, or 0 before the first line is complete. */
  public char separator() {
    return reader.separator();
  }

  private void fill() throws IOException {
    int start = bytes.position();
    int n = in.read(bytes.array(), start, bytes.remaining());
    if (n < 0) {
      bytes.flip();
      decode(true);
      reader.end();
      ended = true;
      return;
    }
    byte[] array = bytes.array();
    for (int i = start; i < start + n; i++) {
      if (array[i] == 0) {
        long offset = bytesRead + (i - start);
        throw new NotTextException(
            offset, "the file is not text: it holds a NUL byte at byte offset " + offset);
      }
    }
    bytesRead += n;
    bytes.position(start + n);
    bytes.flip();
    decode(false);
    bytes.compact();
  }

  private void decode(boolean last) {
    // Bytes still in the buffer after decoding are an incomplete sequence awaiting the next chunk.
    long consumedBefore = bytesRead - bytes.remaining();
    while (true) {
      CoderResult result = decoder.decode(bytes, chars, last);
      if (result.isError()) {
        long offset = consumedBefore + bytes.position();
        throw new NotTextException(
            offset, "the file is not UTF-8 text: invalid byte sequence at byte offset " + offset);
      }
      if (last && result.isUnderflow()) {
        decoder.flush(chars);
      }
      chars.flip();
      reader.feed(chars);
      chars.clear();
      if (!result.isOverflow()) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
