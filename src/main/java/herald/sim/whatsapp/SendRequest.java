package herald.sim.whatsapp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * A validated {@code POST /{Phone-Number-ID}/messages} body. {@link #parse} checks it as the Cloud
 * API does (and as the official OpenAPI document describes it): the envelope ({@code
 * messaging_product}, {@code recipient_type}, {@code to}, {@code type}), then the object of the
 * message type with its limits, media ids against the media the simulator holds, and templates
 * against the account's templates and their parameter counts. Every refusal is a {@link
 * GraphError}.
 *
 * @param to the recipient as given
 * @param waId the recipient's WhatsApp id (the digits of {@code to})
 * @param type the message type
 * @param template the template sent, or null for a free-form message
 * @param body the request body
 */
record SendRequest(
    String to, String waId, String type, TemplateDefinition template, JsonObject body) {

  static final List<String> TYPES =
      List.of(
          "audio",
          "contacts",
          "document",
          "image",
          "interactive",
          "location",
          "reaction",
          "sticker",
          "template",
          "text",
          "video");

  private static final Set<String> ENVELOPE =
      Set.of("messaging_product", "recipient_type", "to", "type", "context");
  private static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}$");

  /** Whether a message falls under the customer-service window (everything but templates). */
  boolean freeForm() {
    return template == null;
  }

  /**
   * Validates a send.
   *
   * @param body the parsed JSON body
   * @param templates the account's templates
   * @param mediaExists tells whether a media id of a MIME type sendable as the given message type
   *     exists for the sending number: {@code (id, messageType) -> ok}
   */
  static SendRequest parse(
      JsonObject body,
      List<TemplateDefinition> templates,
      BiPredicate<String, String> mediaExists) {
    String product = requiredTop(body, "messaging_product");
    if (!product.equals("whatsapp")) {
      throw GraphError.invalidParameter(
          "Param messaging_product must be one of {WHATSAPP} - got \"" + product + "\".");
    }
    String recipientType = requiredTop(body, "recipient_type");
    if (recipientType.equals("group")) {
      throw GraphError.invalidMessageParameter(
          "Group messaging is not enabled for this phone number.");
    }
    if (!recipientType.equals("individual")) {
      throw GraphError.invalidParameter(
          "Param recipient_type must be one of {INDIVIDUAL, GROUP} - got \""
              + recipientType
              + "\".");
    }
    String to = requiredTop(body, "to");
    String waId = to.replaceAll("[+\\s\\-().]", "");
    if (!waId.matches("^[0-9]{5,15}$")) {
      throw GraphError.invalidParameter("Param to is not a valid phone number: \"" + to + "\".");
    }
    String type = requiredTop(body, "type");
    if (!TYPES.contains(type)) {
      throw GraphError.invalidMessageParameter(
          "Param type must be one of " + TYPES + " - got \"" + type + "\".");
    }
    for (String key : body.fieldNames()) {
      if (!ENVELOPE.contains(key) && !key.equals(type)) {
        throw GraphError.invalidMessageParameter(
            "Param " + key + " is not allowed in a " + type + " message.");
      }
    }
    if (body.containsKey("context")) {
      JsonObject context = object(body.getValue("context"), "context");
      onlyKeys(context, "context", "message_id");
      requiredString(context, "message_id", "context");
    }
    if (!body.containsKey(type) || body.getValue(type) == null) {
      throw GraphError.missingMessageParameter("The parameter " + type + " is required.");
    }
    TemplateDefinition template = null;
    Object value = body.getValue(type);
    switch (type) {
      case "text" -> text(object(value, type));
      case "audio", "document", "image", "sticker", "video" ->
          media(object(value, type), type, type, mediaExists, captionAllowed(type));
      case "location" -> location(object(value, type));
      case "contacts" -> contacts(value);
      case "reaction" -> reaction(object(value, type));
      case "interactive" -> interactive(object(value, type), mediaExists);
      case "template" -> template = template(object(value, type), templates, mediaExists);
      default -> throw new IllegalStateException(type);
    }
    return new SendRequest(to, waId, type, template, body);
  }

  private static boolean captionAllowed(String type) {
    return type.equals("image") || type.equals("video") || type.equals("document");
  }

  private static void text(JsonObject text) {
    onlyKeys(text, "text", "body", "preview_url");
    String body = requiredString(text, "body", "text");
    if (body.isBlank()) {
      throw GraphError.invalidMessageParameter("Param text['body'] must not be empty.");
    }
    maxLength(body, 4096, "text['body']");
    if (text.containsKey("preview_url") && !(text.getValue("preview_url") instanceof Boolean)) {
      throw GraphError.invalidMessageParameter("Param text['preview_url'] must be a boolean.");
    }
  }

  private static void media(
      JsonObject media,
      String type,
      String path,
      BiPredicate<String, String> mediaExists,
      boolean caption) {
    Set<String> allowed = new HashSet<>(List.of("id", "link"));
    if (caption) {
      allowed.add("caption");
    }
    if (type.equals("document") && path.equals("document")) {
      allowed.add("filename");
    }
    onlyKeys(media, path, allowed.toArray(String[]::new));
    boolean hasId = media.containsKey("id");
    boolean hasLink = media.containsKey("link");
    if (hasId == hasLink) {
      throw GraphError.invalidMessageParameter(
          "Param " + path + " must have exactly one of 'id' or 'link'.");
    }
    if (hasId) {
      String id = requiredString(media, "id", path);
      if (!mediaExists.test(id, type)) {
        throw GraphError.invalidParameter(
            "Param "
                + path
                + "['id'] is not a valid whatsapp business account media attachment ID.");
      }
    } else {
      httpUrl(requiredString(media, "link", path), path + "['link']");
    }
    if (media.containsKey("caption")) {
      maxLength(requiredString(media, "caption", path), 1024, path + "['caption']");
    }
    if (media.containsKey("filename")) {
      maxLength(requiredString(media, "filename", path), 240, path + "['filename']");
    }
  }

  private static void location(JsonObject location) {
    onlyKeys(location, "location", "latitude", "longitude", "name", "address");
    coordinate(location, "latitude", 90);
    coordinate(location, "longitude", 180);
    for (String key : List.of("name", "address")) {
      if (location.containsKey(key)) {
        maxLength(requiredString(location, key, "location"), 1000, "location['" + key + "']");
      }
    }
  }

  private static void coordinate(JsonObject location, String key, double bound) {
    Object value = location.getValue(key);
    if (value == null) {
      throw GraphError.missingMessageParameter(
          "The parameter location['" + key + "'] is required.");
    }
    double number;
    try {
      number =
          value instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(value));
    } catch (NumberFormatException e) {
      number = Double.NaN;
    }
    if (!(number >= -bound && number <= bound)) {
      throw GraphError.invalidMessageParameter(
          "Param location['"
              + key
              + "'] must be a number within -"
              + (int) bound
              + ".."
              + (int) bound
              + ".");
    }
  }

  private static void contacts(Object value) {
    if (!(value instanceof JsonArray contacts) || contacts.isEmpty() || contacts.size() > 5) {
      throw GraphError.invalidMessageParameter(
          "Param contacts must be an array of 1 to 5 contacts.");
    }
    for (int i = 0; i < contacts.size(); i++) {
      String path = "contacts[" + i + "]";
      JsonObject contact = object(contacts.getValue(i), path);
      onlyKeys(contact, path, "addresses", "birthday", "emails", "name", "org", "phones", "urls");
      JsonObject name = object(contact.getValue("name"), path + "['name']");
      onlyKeys(
          name,
          path + "['name']",
          "formatted_name",
          "first_name",
          "last_name",
          "middle_name",
          "suffix",
          "prefix");
      requiredString(name, "formatted_name", path + "['name']");
      if (contact.containsKey("birthday")
          && !DATE.matcher(requiredString(contact, "birthday", path)).matches()) {
        throw GraphError.invalidMessageParameter(
            "Param " + path + "['birthday'] must be YYYY-MM-DD.");
      }
      entries(contact, path, "phones", "phone", "type", "wa_id");
      entries(contact, path, "emails", "email", "type");
      entries(contact, path, "urls", "url", "type");
      entries(
          contact,
          path,
          "addresses",
          null,
          "street",
          "city",
          "state",
          "zip",
          "country",
          "country_code",
          "type");
      if (contact.containsKey("org")) {
        onlyKeys(
            object(contact.getValue("org"), path + "['org']"),
            path + "['org']",
            "company",
            "department",
            "title");
      }
    }
  }

  private static void entries(
      JsonObject contact, String path, String key, String required, String... others) {
    if (!contact.containsKey(key)) {
      return;
    }
    if (!(contact.getValue(key) instanceof JsonArray array)) {
      throw GraphError.invalidMessageParameter(
          "Param " + path + "['" + key + "'] must be an array.");
    }
    for (int i = 0; i < array.size(); i++) {
      String itemPath = path + "['" + key + "'][" + i + "]";
      JsonObject item = object(array.getValue(i), itemPath);
      Set<String> allowed = new HashSet<>(List.of(others));
      if (required != null) {
        allowed.add(required);
        requiredString(item, required, itemPath);
      }
      onlyKeys(item, itemPath, allowed.toArray(String[]::new));
      if (item.containsKey("type")) {
        String type = requiredString(item, "type", itemPath);
        if (!type.equals("HOME") && !type.equals("WORK")) {
          throw GraphError.invalidMessageParameter(
              "Param " + itemPath + "['type'] must be HOME or WORK.");
        }
      }
    }
  }

  private static void reaction(JsonObject reaction) {
    onlyKeys(reaction, "reaction", "message_id", "emoji");
    requiredString(reaction, "message_id", "reaction");
    String emoji = requiredString(reaction, "emoji", "reaction");
    if (emoji.codePointCount(0, emoji.length()) > 10 || emoji.matches(".*[A-Za-z0-9].*")) {
      throw GraphError.invalidMessageParameter("Param reaction['emoji'] must be a single emoji.");
    }
  }

  private static void interactive(JsonObject interactive, BiPredicate<String, String> media) {
    onlyKeys(interactive, "interactive", "type", "header", "body", "footer", "action");
    String type = requiredString(interactive, "type", "interactive");
    if (List.of("call_permission_request", "catalog_message", "product", "product_list", "flow")
        .contains(type)) {
      throw GraphError.invalidMessageParameter(
          "Interactive messages of type " + type + " are not available for this phone number.");
    }
    if (!type.equals("button") && !type.equals("list")) {
      throw GraphError.invalidMessageParameter(
          "Param interactive['type'] must be one of [button, list, call_permission_request,"
              + " catalog_message, product, product_list, flow].");
    }
    JsonObject body = object(interactive.getValue("body"), "interactive['body']");
    onlyKeys(body, "interactive['body']", "text");
    maxLength(
        requiredString(body, "text", "interactive['body']"), 1024, "interactive['body']['text']");
    if (interactive.containsKey("footer")) {
      JsonObject footer = object(interactive.getValue("footer"), "interactive['footer']");
      onlyKeys(footer, "interactive['footer']", "text");
      maxLength(
          requiredString(footer, "text", "interactive['footer']"),
          60,
          "interactive['footer']['text']");
    }
    if (interactive.containsKey("header")) {
      header(object(interactive.getValue("header"), "interactive['header']"), type, media);
    }
    JsonObject action = object(interactive.getValue("action"), "interactive['action']");
    if (type.equals("button")) {
      buttons(action);
    } else {
      list(action);
    }
  }

  private static void header(
      JsonObject header, String interactiveType, BiPredicate<String, String> media) {
    String path = "interactive['header']";
    String type = requiredString(header, "type", path);
    if (type.equals("text")) {
      onlyKeys(header, path, "type", "text", "sub_text");
      maxLength(requiredString(header, "text", path), 60, path + "['text']");
      if (header.containsKey("sub_text")) {
        maxLength(requiredString(header, "sub_text", path), 60, path + "['sub_text']");
      }
    } else if (interactiveType.equals("button")
        && List.of("image", "video", "document").contains(type)) {
      onlyKeys(header, path, "type", type);
      media(
          object(header.getValue(type), path + "['" + type + "']"),
          type,
          path + "['" + type + "']",
          media,
          false);
    } else {
      throw GraphError.invalidMessageParameter(
          "Param "
              + path
              + "['type'] "
              + type
              + " is not allowed for "
              + interactiveType
              + " messages.");
    }
  }

  private static void buttons(JsonObject action) {
    String path = "interactive['action']";
    onlyKeys(action, path, "buttons");
    if (!(action.getValue("buttons") instanceof JsonArray buttons)
        || buttons.isEmpty()
        || buttons.size() > 3) {
      throw GraphError.invalidMessageParameter(
          "Param " + path + "['buttons'] must hold 1 to 3 buttons.");
    }
    Set<String> ids = new HashSet<>();
    Set<String> titles = new HashSet<>();
    for (int i = 0; i < buttons.size(); i++) {
      String buttonPath = path + "['buttons'][" + i + "]";
      JsonObject button = object(buttons.getValue(i), buttonPath);
      onlyKeys(button, buttonPath, "type", "reply");
      if (!"reply".equals(requiredString(button, "type", buttonPath))) {
        throw GraphError.invalidMessageParameter("Param " + buttonPath + "['type'] must be reply.");
      }
      JsonObject reply = object(button.getValue("reply"), buttonPath + "['reply']");
      onlyKeys(reply, buttonPath + "['reply']", "id", "title");
      String id = requiredString(reply, "id", buttonPath + "['reply']");
      String title = requiredString(reply, "title", buttonPath + "['reply']");
      maxLength(id, 256, buttonPath + "['reply']['id']");
      maxLength(title, 20, buttonPath + "['reply']['title']");
      if (id.isBlank() || !id.equals(id.strip()) || title.isBlank()) {
        throw GraphError.invalidMessageParameter(
            "Param "
                + buttonPath
                + "['reply'] needs a non-empty title and an id without"
                + " surrounding spaces.");
      }
      if (!ids.add(id) || !titles.add(title)) {
        throw GraphError.invalidMessageParameter("Button ids and titles must be unique.");
      }
    }
  }

  private static void list(JsonObject action) {
    String path = "interactive['action']";
    onlyKeys(action, path, "button", "sections");
    String button = requiredString(action, "button", path);
    if (button.isBlank()) {
      throw GraphError.invalidMessageParameter("Param " + path + "['button'] must not be empty.");
    }
    maxLength(button, 20, path + "['button']");
    if (!(action.getValue("sections") instanceof JsonArray sections)
        || sections.isEmpty()
        || sections.size() > 10) {
      throw GraphError.invalidMessageParameter(
          "Param " + path + "['sections'] must hold 1 to 10 sections.");
    }
    int rows = 0;
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < sections.size(); i++) {
      String sectionPath = path + "['sections'][" + i + "]";
      JsonObject section = object(sections.getValue(i), sectionPath);
      onlyKeys(section, sectionPath, "title", "rows");
      if (sections.size() > 1 || section.containsKey("title")) {
        maxLength(requiredString(section, "title", sectionPath), 24, sectionPath + "['title']");
      }
      if (!(section.getValue("rows") instanceof JsonArray sectionRows) || sectionRows.isEmpty()) {
        throw GraphError.invalidMessageParameter(
            "Param " + sectionPath + "['rows'] must hold at least one row.");
      }
      for (int r = 0; r < sectionRows.size(); r++) {
        String rowPath = sectionPath + "['rows'][" + r + "]";
        JsonObject row = object(sectionRows.getValue(r), rowPath);
        onlyKeys(row, rowPath, "id", "title", "description");
        String id = requiredString(row, "id", rowPath);
        maxLength(id, 200, rowPath + "['id']");
        maxLength(requiredString(row, "title", rowPath), 24, rowPath + "['title']");
        if (row.containsKey("description")) {
          maxLength(requiredString(row, "description", rowPath), 72, rowPath + "['description']");
        }
        if (!ids.add(id)) {
          throw GraphError.invalidMessageParameter("Row ids must be unique: " + id);
        }
        rows++;
      }
    }
    if (rows > 10) {
      throw GraphError.invalidMessageParameter(
          "A list message has at most 10 rows in all; this one has " + rows + ".");
    }
  }

  private static TemplateDefinition template(
      JsonObject template, List<TemplateDefinition> templates, BiPredicate<String, String> media) {
    onlyKeys(template, "template", "name", "language", "components");
    String name = requiredString(template, "name", "template");
    JsonObject language = object(template.getValue("language"), "template['language']");
    onlyKeys(language, "template['language']", "code", "policy");
    String code = requiredString(language, "code", "template['language']");
    String policy = requiredString(language, "policy", "template['language']");
    if (!policy.equals("deterministic")) {
      throw GraphError.invalidMessageParameter(
          "Param template['language']['policy'] must be deterministic.");
    }
    TemplateDefinition definition =
        templates.stream()
            .filter(t -> t.name().equals(name) && t.language().equals(code))
            .findFirst()
            .orElseThrow(() -> GraphError.templateNotFound(name, code));
    switch (definition.status()) {
      case "APPROVED" -> {}
      case "PAUSED", "DISABLED" -> throw GraphError.templateUnusable(name, definition.status());
      default -> throw GraphError.templateNotFound(name, code);
    }
    int header = 0;
    int body = 0;
    Set<String> seen = new HashSet<>();
    JsonArray components = new JsonArray();
    if (template.containsKey("components")) {
      if (!(template.getValue("components") instanceof JsonArray given)) {
        throw GraphError.invalidMessageParameter("Param template['components'] must be an array.");
      }
      components = given;
    }
    for (int i = 0; i < components.size(); i++) {
      String path = "template['components'][" + i + "]";
      JsonObject component = object(components.getValue(i), path);
      String type = requiredString(component, "type", path).toLowerCase(Locale.ROOT);
      JsonArray parameters =
          component.getValue("parameters") instanceof JsonArray p ? p : new JsonArray();
      if (component.containsKey("parameters")
          && !(component.getValue("parameters") instanceof JsonArray)) {
        throw GraphError.invalidMessageParameter(
            "Param " + path + "['parameters'] must be an array.");
      }
      switch (type) {
        case "header", "body" -> {
          onlyKeys(component, path, "type", "parameters");
          if (!seen.add(type)) {
            throw GraphError.invalidMessageParameter("Only one " + type + " component is allowed.");
          }
          for (int p = 0; p < parameters.size(); p++) {
            parameter(
                object(parameters.getValue(p), path + "['parameters'][" + p + "]"),
                type,
                path + "['parameters'][" + p + "]",
                media);
          }
          if (type.equals("header")) {
            header = parameters.size();
          } else {
            body = parameters.size();
          }
        }
        case "button" -> button(component, path, definition);
        default ->
            throw GraphError.invalidMessageParameter(
                "Param " + path + "['type'] must be one of [header, body, button].");
      }
    }
    if (header != definition.headerParameters()) {
      throw GraphError.parameterCount("header", header, definition.headerParameters());
    }
    if (body != definition.bodyParameters()) {
      throw GraphError.parameterCount("body", body, definition.bodyParameters());
    }
    return definition;
  }

  private static void parameter(
      JsonObject parameter, String component, String path, BiPredicate<String, String> media) {
    String type = requiredString(parameter, "type", path);
    List<String> allowed =
        component.equals("header")
            ? List.of("text", "image", "video", "document", "currency", "date_time")
            : List.of("text", "currency", "date_time");
    if (!allowed.contains(type)) {
      throw GraphError.invalidMessageParameter(
          "Param " + path + "['type'] must be one of " + allowed + " in a " + component + ".");
    }
    onlyKeys(parameter, path, "type", type, "parameter_name");
    switch (type) {
      case "text" -> {
        String text = requiredString(parameter, "text", path);
        if (text.isBlank()) {
          throw GraphError.invalidMessageParameter("Param " + path + "['text'] must not be empty.");
        }
        maxLength(text, component.equals("header") ? 60 : 32768, path + "['text']");
      }
      case "currency" -> {
        JsonObject currency = object(parameter.getValue("currency"), path + "['currency']");
        onlyKeys(currency, path + "['currency']", "fallback_value", "code", "amount_1000");
        requiredString(currency, "fallback_value", path + "['currency']");
        requiredString(currency, "code", path + "['currency']");
        if (!(currency.getValue("amount_1000") instanceof Number)) {
          throw GraphError.missingMessageParameter(
              "The parameter " + path + "['currency']['amount_1000'] is required.");
        }
      }
      case "date_time" -> {
        JsonObject dateTime = object(parameter.getValue("date_time"), path + "['date_time']");
        requiredString(dateTime, "fallback_value", path + "['date_time']");
      }
      default ->
          media(
              object(parameter.getValue(type), path + "['" + type + "']"),
              type,
              path + "['" + type + "']",
              media,
              false);
    }
  }

  private static void button(JsonObject component, String path, TemplateDefinition definition) {
    onlyKeys(component, path, "type", "sub_type", "index", "parameters");
    String subType = requiredString(component, "sub_type", path);
    Object indexValue = component.getValue("index");
    int index;
    try {
      index = Integer.parseInt(String.valueOf(indexValue));
    } catch (NumberFormatException e) {
      index = -1;
    }
    if (indexValue == null) {
      throw GraphError.missingMessageParameter("The parameter " + path + "['index'] is required.");
    }
    if (!subType.equals("quick_reply") || index < 0 || index >= definition.quickReplyButtons()) {
      throw GraphError.invalidMessageParameter(
          "Template "
              + definition.name()
              + " has no "
              + subType
              + " button at index "
              + indexValue
              + ".");
    }
    if (!(component.getValue("parameters") instanceof JsonArray parameters)
        || parameters.size() != 1) {
      throw GraphError.parameterCount(
          "button", component.getValue("parameters") instanceof JsonArray a ? a.size() : 0, 1);
    }
    JsonObject parameter = object(parameters.getValue(0), path + "['parameters'][0]");
    onlyKeys(parameter, path + "['parameters'][0]", "type", "payload");
    if (!"payload".equals(requiredString(parameter, "type", path + "['parameters'][0]"))) {
      throw GraphError.invalidMessageParameter(
          "Param " + path + "['parameters'][0]['type'] must be payload for a quick reply.");
    }
    maxLength(
        requiredString(parameter, "payload", path + "['parameters'][0]"),
        1000,
        path + "['parameters'][0]['payload']");
  }

  private static String requiredTop(JsonObject body, String name) {
    Object value = body.getValue(name);
    if (value == null) {
      throw GraphError.requiredParameter(name);
    }
    if (!(value instanceof String s)) {
      throw GraphError.invalidParameter("Param " + name + " must be a string.");
    }
    return s;
  }

  private static JsonObject object(Object value, String path) {
    if (value == null) {
      throw GraphError.missingMessageParameter("The parameter " + path + " is required.");
    }
    if (!(value instanceof JsonObject object)) {
      throw GraphError.invalidMessageParameter("Param " + path + " must be a JSON object.");
    }
    return object;
  }

  private static String requiredString(JsonObject object, String key, String path) {
    Object value = object.getValue(key);
    if (value == null) {
      throw GraphError.missingMessageParameter(
          "The parameter " + path + "['" + key + "'] is required.");
    }
    if (!(value instanceof String s)) {
      throw GraphError.invalidMessageParameter(
          "Param " + path + "['" + key + "'] must be a string.");
    }
    return s;
  }

  private static void onlyKeys(JsonObject object, String path, String... allowed) {
    Set<String> keys = Set.of(allowed);
    for (String key : object.fieldNames()) {
      if (!keys.contains(key)) {
        throw GraphError.invalidMessageParameter(
            "Param " + path + "['" + key + "'] is not a valid parameter.");
      }
    }
  }

  private static void maxLength(String value, int max, String path) {
    if (value.codePointCount(0, value.length()) > max) {
      throw GraphError.invalidMessageParameter(
          "Param " + path + " must be at most " + max + " characters long.");
    }
  }

  private static void httpUrl(String link, String path) {
    try {
      URI uri = new URI(link);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return;
      }
    } catch (URISyntaxException e) {
      // answered below
    }
    throw GraphError.invalidMessageParameter("Param " + path + " must be an http(s) URL.");
  }
}
