package herald.platform.http;

import java.util.List;

/**
 * An error meant for the client: the failure handler turns it into RFC 9457 problem+json with this
 * status, a stable {@code type} URI built from {@link #code}, and the field errors if any. Anything
 * that is not an ApiException is an internal error and answered with an opaque 500.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final String title;
  private final List<FieldError> errors;
  private final Long retryAfterSeconds;

  public ApiException(int status, String code, String title, String detail) {
    this(status, code, title, detail, List.of(), null);
  }

  public ApiException(
      int status,
      String code,
      String title,
      String detail,
      List<FieldError> errors,
      Long retryAfterSeconds) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "bad-request", "Bad request", detail);
  }

  public static ApiException badRequest(String detail, List<FieldError> errors) {
    return new ApiException(400, "bad-request", "Bad request", detail, errors, null);
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(401, "unauthorized", "Unauthorized", detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, "forbidden", "Forbidden", detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "not-found", "Not found", detail);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, "conflict", "Conflict", detail);
  }

  public static ApiException validation(List<FieldError> errors) {
    return new ApiException(
        422,
        "validation",
        "Validation failed",
        errors.size() == 1 ? errors.get(0).detail() : errors.size() + " fields are invalid",
        errors,
        null);
  }

  public static ApiException validation(String field, String code, String detail) {
    return validation(List.of(new FieldError(field, code, detail)));
  }

  public static ApiException tooManyRequests(long retryAfterSeconds) {
    return new ApiException(
        429,
        "rate-limited",
        "Too many requests",
        "Rate limit exceeded; retry after " + retryAfterSeconds + " s",
        List.of(),
        retryAfterSeconds);
  }

  public static ApiException unsupportedMediaType(String detail) {
    return new ApiException(415, "unsupported-media-type", "Unsupported media type", detail);
  }

  public static ApiException payloadTooLarge(String detail) {
    return new ApiException(413, "payload-too-large", "Payload too large", detail);
  }

  public static ApiException unavailable(String detail) {
    return new ApiException(503, "unavailable", "Service unavailable", detail);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String title() {
    return title;
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** Seconds for the {@code Retry-After} header, or null. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
