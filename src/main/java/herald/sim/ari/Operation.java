package herald.sim.ari;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * One ARI operation the simulator serves: its route, its api-docs description, and its handler. The
 * router and the api-docs are both built from the list of these, so they cannot disagree.
 */
final class Operation {
  final String resource;
  final String method;
  final String path;
  final String nickname;
  final String responseClass;
  final String summary;
  final List<JsonObject> parameters = new ArrayList<>();
  final List<JsonObject> errors = new ArrayList<>();
  BiFunction<RoutingContext, Params, Reply> handler;
  boolean websocket;

  private Operation(
      String resource,
      String method,
      String path,
      String nickname,
      String responseClass,
      String summary) {
    this.resource = resource;
    this.method = method;
    this.path = path;
    this.nickname = nickname;
    this.responseClass = responseClass;
    this.summary = summary;
  }

  static Operation of(
      String resource,
      String method,
      String path,
      String nickname,
      String responseClass,
      String summary) {
    Operation op = new Operation(resource, method, path, nickname, responseClass, summary);
    int from = 0;
    while ((from = path.indexOf('{', from)) >= 0) {
      int to = path.indexOf('}', from);
      op.param("path", path.substring(from + 1, to), "string", true, false);
      from = to;
    }
    return op;
  }

  /** A query parameter; {@code type} is a Swagger 1.1 data type. */
  Operation query(String name, String type, boolean required) {
    return param("query", name, type, required, false);
  }

  /** A query parameter that takes a comma-separated list. */
  Operation queryList(String name, boolean required) {
    return param("query", name, "string", required, true);
  }

  /** The JSON body parameter ({@code variables}). */
  Operation body(String name) {
    return param("body", name, "containers", false, false);
  }

  Operation error(int code, String reason) {
    errors.add(new JsonObject().put("code", code).put("reason", reason));
    return this;
  }

  Operation handle(BiFunction<RoutingContext, Params, Reply> handler) {
    this.handler = handler;
    return this;
  }

  Operation websocket() {
    this.websocket = true;
    return this;
  }

  private Operation param(
      String kind, String name, String type, boolean required, boolean allowMultiple) {
    parameters.add(
        new JsonObject()
            .put("name", name)
            .put("paramType", kind)
            .put("required", required)
            .put("allowMultiple", allowMultiple)
            .put("dataType", type));
    return this;
  }

  /** The Vert.x route path: {@code /ari/channels/:channelId}. */
  String routePath() {
    return "/ari" + path.replaceAll("\\{([^}]+)}", ":$1");
  }

  /** A regular expression matching the request paths of this operation. */
  String pathPattern() {
    return "/ari" + path.replaceAll("\\{[^}]+}", "[^/]+");
  }

  JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("httpMethod", method)
            .put("summary", summary)
            .put("nickname", nickname)
            .put("responseClass", responseClass)
            .put("parameters", new JsonArray(new ArrayList<>(parameters)));
    if (!errors.isEmpty()) {
      json.put("errorResponses", new JsonArray(new ArrayList<>(errors)));
    }
    if (websocket) {
      json.put("upgrade", "websocket").put("websocketProtocol", "ari");
    }
    return json;
  }
}
