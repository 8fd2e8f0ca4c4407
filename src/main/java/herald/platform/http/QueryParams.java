package herald.platform.http;

import herald.platform.database.Ids;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Typed query-string filters; problems are collected and answered together as 400 by {@link
 * #check}. {@link #guard} refuses, before any route runs, a query string that cannot be decoded or
 * that holds a NUL character, so no handler ever sees one.
 */
public final class QueryParams {
  private final RoutingContext ctx;
  private final List<FieldError> errors = new ArrayList<>();

  public QueryParams(RoutingContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The root router's check of every request's query string: 400 problem+json when it cannot be
   * decoded or a parameter name or value holds a NUL character ({@code %00}), which PostgreSQL
   * cannot store or compare in text.
   */
  public static Handler<RoutingContext> guard() {
    return ctx -> {
      if (ctx.request().query() == null) {
        ctx.next();
        return;
      }
      MultiMap params;
      try {
        params = ctx.queryParams();
      } catch (RuntimeException e) {
        ctx.fail(ApiException.badRequest("The query string cannot be decoded"));
        return;
      }
      List<FieldError> errors = new ArrayList<>();
      for (var entry : params) {
        if (entry.getKey().indexOf('\u0000') >= 0 || entry.getValue().indexOf('\u0000') >= 0) {
          String name = entry.getKey().replace("\u0000", "\\u0000");
          errors.add(
              new FieldError(
                  name,
                  "invalid_character",
                  name + " must not contain the NUL character (U+0000)"));
        }
      }
      if (!errors.isEmpty()) {
        ctx.fail(ApiException.badRequest("Invalid query parameters", errors));
        return;
      }
      ctx.next();
    };
  }

  public String string(String name, int maxLength) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (value.length() > maxLength) {
      errors.add(new FieldError(name, "invalid_length", name + " is longer than " + maxLength));
      return null;
    }
    return value;
  }

  public UUID uuid(String name) {
    String value = string(name, 64);
    if (value == null) {
      return null;
    }
    UUID id = Ids.parse(value);
    if (id == null) {
      errors.add(new FieldError(name, "invalid_format", name + " must be an id"));
    }
    return id;
  }

  public Instant instant(String name) {
    String value = string(name, 64);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      errors.add(
          new FieldError(
              name,
              "invalid_format",
              name + " must be an ISO-8601 timestamp such as 2026-01-31T12:00:00Z"));
      return null;
    }
  }

  public Boolean bool(String name) {
    String value = string(name, 8);
    if (value == null) {
      return null;
    }
    if (!value.equals("true") && !value.equals("false")) {
      errors.add(new FieldError(name, "invalid_value", name + " must be true or false"));
      return null;
    }
    return Boolean.valueOf(value);
  }

  public void check() {
    if (!errors.isEmpty()) {
      throw ApiException.badRequest("Invalid query parameters", errors);
    }
  }
}
