package herald.template;

import static org.assertj.core.api.Assertions.assertThat;

import herald.contact.Contact;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The one template language: placeholders, aliases, defaults and missing variables. */
class RendererTest {
  private static final Contact JEAN =
      new Contact(
          UUID.randomUUID(),
          UUID.randomUUID(),
          "+24162000000",
          "Jean Dupont",
          "Jean",
          "Dupont",
          "jean@example.com",
          "active",
          null,
          null,
          new JsonObject().put("company", "Acme").put("Tier", 3),
          List.of(),
          null,
          null);

  private static String render(String template, Contact contact) {
    Renderer.Result result = Renderer.render(template, Renderer.Variables.of(contact));
    assertThat(result.missing()).isEmpty();
    return result.text();
  }

  @Test
  void seed003FrenchAliasesNameTheFullNameFirstNameEmailAndPhone() {
    assertThat(render("Bonjour {nom} ({prenom}), {email}, {telephone}", JEAN))
        .isEqualTo("Bonjour Jean Dupont (Jean), jean@example.com, +24162000000");
  }

  @Test
  void doubleBracesCaseInsensitiveNamesAndCustomFieldsResolve() {
    assertThat(render("Hi {{Name}}, check out {{Company}} ({custom.company}, tier {tier})", JEAN))
        .isEqualTo("Hi Jean Dupont, check out Acme (Acme, tier 3)");
  }

  @Test
  void defaultsFillMissingValuesAndOtherBracesStay() {
    Contact anonymous =
        new Contact(
            JEAN.id(),
            JEAN.accountId(),
            "+24162000000",
            null,
            null,
            null,
            null,
            "active",
            null,
            null,
            new JsonObject(),
            List.of(),
            null,
            null);
    assertThat(render("Hello {name|there}, {{ email | no mail }} { } {1,2} {}", anonymous))
        .isEqualTo("Hello there,  no mail  { } {1,2} {}");
  }

  @Test
  void aNameFallsBackToFirstAndLastName() {
    Contact split =
        new Contact(
            JEAN.id(),
            JEAN.accountId(),
            "+24162000000",
            null,
            "Ana",
            "Lima",
            null,
            "active",
            null,
            null,
            new JsonObject(),
            List.of(),
            null,
            null);
    assertThat(render("{name}", split)).isEqualTo("Ana Lima");
  }

  @Test
  void missingVariablesAreNamedOnceInOrder() {
    Renderer.Result result =
        Renderer.render(
            "{a} {Name} {a} {{b}} {c|ok}", Renderer.Variables.of(new JsonObject().put("x", "1")));
    assertThat(result.missing()).containsExactly("a", "Name", "b");
    assertThat(result.text()).isEqualTo("    ok");
  }

  @Test
  void sampleDataKeysMayCarryBracesAsInSeed003() {
    Renderer.Variables vars =
        Renderer.Variables.of(
            new JsonObject().put("{nom}", "Jean Dupont").put("{email}", "jean@example.com"));
    assertThat(Renderer.render("Bonjour {name}, {email}", vars).text())
        .isEqualTo("Bonjour Jean Dupont, jean@example.com");
    assertThat(Renderer.render("$1 \\ {nom}", vars).text()).isEqualTo("$1 \\ Jean Dupont");
  }

  @Test
  void variablesAreListedOnceAsWritten() {
    assertThat(Renderer.variables("{{Name}} {nom} {name|x} {custom.company}"))
        .containsExactly("Name", "nom", "name", "custom.company");
  }
}
