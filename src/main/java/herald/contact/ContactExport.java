package herald.contact;

import herald.platform.csv.CsvCells;
import herald.platform.database.Where;
import herald.platform.http.ApiException;
import herald.platform.http.CsvDownload;
import herald.platform.http.Requests;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/v1/contacts/export?format=csv}: streams every matching contact as CSV from a
 * database cursor, pausing it while the client is slow, so memory stays flat however many contacts
 * match. One custom field per column (named after the field, or {@code custom.<name>} when that
 * would clash with a standard column), found in a first pass over the same filter. Takes the list's
 * filters.
 */
final class ContactExport {
  private static final List<String> STANDARD =
      List.of(
          "id",
          "phone_number",
          "name",
          "first_name",
          "last_name",
          "email",
          "status",
          "timezone",
          "language",
          "group_ids",
          "created_at",
          "updated_at");

  private final Pool pool;

  ContactExport(Pool pool) {
    this.pool = pool;
  }

  void handle(RoutingContext ctx) {
    String format = ctx.queryParams().get("format");
    if (format != null && !format.equals("csv")) {
      ctx.fail(ApiException.badRequest("format must be csv"));
      return;
    }
    Where where;
    try {
      where = ContactStore.where(Requests.principal(ctx).accountId(), ContactRoutes.filter(ctx));
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    }
    HttpServerResponse response = ctx.response();
    // One transaction: the key pass and the rows see the same snapshot.
    pool.withTransaction(
            conn ->
                conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    .execute()
                    .compose(
                        v ->
                            conn.preparedQuery(
                                    "SELECT DISTINCT jsonb_object_keys(c.custom_fields) AS key"
                                        + " FROM contacts c WHERE "
                                        + where.sql()
                                        + " ORDER BY 1")
                                .execute(Tuple.from(where.args())))
                    .compose(
                        keys -> {
                          List<String> custom = new ArrayList<>();
                          keys.forEach(row -> custom.add(row.getString("key")));
                          return stream(conn, where, custom, response);
                        }))
        .onSuccess(v -> response.end())
        .onFailure(
            err -> {
              if (response.headWritten()) {
                response.reset(); // the client must not mistake a cut-off file for a complete one
              } else {
                ctx.fail(err);
              }
            });
  }

  private static Future<Void> stream(
      SqlConnection conn, Where where, List<String> custom, HttpServerResponse response) {
    String sql =
        "SELECT "
            + ContactStore.COLUMNS
            + " FROM contacts c WHERE "
            + where.sql()
            + " ORDER BY c.id DESC";
    return conn.prepare(sql)
        .compose(
            statement -> {
              response
                  .setChunked(true)
                  .putHeader("Content-Type", "text/csv; charset=utf-8")
                  .putHeader("Content-Disposition", "attachment; filename=\"contacts.csv\"");
              response.write(header(custom));
              return CsvDownload.pipe(
                  statement.createStream(500, Tuple.from(where.args())),
                  response,
                  row -> line(Contact.from(row), custom));
            });
  }

  private static String header(List<String> custom) {
    Set<String> standard = Set.copyOf(STANDARD);
    List<String> names = new ArrayList<>(STANDARD);
    custom.forEach(key -> names.add(standard.contains(key) ? "custom." + key : key));
    return String.join(",", names) + "\r\n";
  }

  private static String line(Contact c, List<String> custom) {
    List<String> cells = new ArrayList<>(STANDARD.size() + custom.size());
    cells.add(c.id().toString());
    cells.add(csv(c.phoneNumber()));
    cells.add(csv(c.name()));
    cells.add(csv(c.firstName()));
    cells.add(csv(c.lastName()));
    cells.add(csv(c.email()));
    cells.add(c.status());
    cells.add(csv(c.timezone()));
    cells.add(csv(c.language()));
    cells.add(String.join(";", c.groupIds().stream().map(Object::toString).toList()));
    cells.add(c.createdAt());
    cells.add(c.updatedAt());
    JsonObject fields = c.customFields();
    for (String key : custom) {
      Object value = fields.getValue(key);
      cells.add(value == null ? "" : csv(value.toString()));
    }
    return String.join(",", cells) + "\r\n";
  }

  static String csv(String value) {
    return CsvCells.quote(value);
  }
}
