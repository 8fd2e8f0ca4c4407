package herald.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import herald.platform.http.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How an import file's header becomes contact fields and custom fields. */
class ImportColumnsTest {
  private static List<String> errorCodes(Runnable plan) {
    try {
      plan.run();
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(422);
      return e.errors().stream().map(err -> err.field() + ":" + err.code()).toList();
    }
    throw new AssertionError("expected 422");
  }

  @Test
  void headersMatchAliasesInAnyCaseWithSpacesAndHyphensAsUnderscores() {
    ImportColumns columns =
        ImportColumns.of(
            List.of(
                " Phone Number ",
                "Full Name",
                "E-Mail",
                "SURNAME",
                "Prénom",
                "Time-Zone",
                "lang",
                "Group"),
            Map.of());
    assertThat(columns.column(ImportColumns.Field.PHONE)).isZero();
    assertThat(columns.headerOf(ImportColumns.Field.PHONE)).isEqualTo("Phone Number");
    assertThat(columns.column(ImportColumns.Field.NAME)).isEqualTo(1);
    assertThat(columns.column(ImportColumns.Field.EMAIL)).isEqualTo(2);
    assertThat(columns.column(ImportColumns.Field.LAST_NAME)).isEqualTo(3);
    assertThat(columns.column(ImportColumns.Field.FIRST_NAME)).isEqualTo(4);
    assertThat(columns.column(ImportColumns.Field.TIMEZONE)).isEqualTo(5);
    assertThat(columns.column(ImportColumns.Field.LANGUAGE)).isEqualTo(6);
    assertThat(columns.column(ImportColumns.Field.GROUPS)).isEqualTo(7);
    assertThat(columns.custom()).isEmpty();
  }

  @Test
  void otherColumnsBecomeCustomFieldsAndExportColumnsAreIgnored() {
    ImportColumns columns =
        ImportColumns.of(
            List.of(
                "id",
                "msisdn",
                "Société",
                "custom.tier",
                "Order #",
                "",
                "created_at",
                "mobile",
                "group_ids"),
            Map.of());
    assertThat(columns.column(ImportColumns.Field.PHONE)).isEqualTo(1);
    assertThat(columns.custom())
        .extracting(ImportColumns.Custom::key)
        .containsExactly("Societe", "tier", "Order", "mobile");
    assertThat(columns.ignored()).containsExactly("id", "created_at", "group_ids");
  }

  @Test
  void aMappingNamesColumnsTheAliasesWouldNotFind() {
    Map<String, String> mapping = new LinkedHashMap<>();
    mapping.put("phone", "mobile no");
    mapping.put("custom.company", "Org");
    mapping.put("name", "Phone");
    ImportColumns columns = ImportColumns.of(List.of("Phone", "Mobile No", "Org"), mapping);
    assertThat(columns.column(ImportColumns.Field.PHONE)).isEqualTo(1);
    assertThat(columns.column(ImportColumns.Field.NAME)).isZero();
    assertThat(columns.custom()).containsExactly(new ImportColumns.Custom(2, "company"));
  }

  @Test
  void unusableHeadersAndMappingsAnswer422WithEveryProblem() {
    assertThat(errorCodes(() -> ImportColumns.of(List.of("name", "email"), Map.of())))
        .containsExactly("file:no_phone_column");
    assertThat(
            errorCodes(
                () ->
                    ImportColumns.of(
                        List.of("phone", "x"), Map.of("colour", "x", "custom.bad key", "phone"))))
        .containsExactlyInAnyOrder(
            "mapping.colour:unknown_field", "mapping.custom.bad key:invalid_key");
    assertThat(errorCodes(() -> ImportColumns.of(List.of("phone"), Map.of("email", "Mail"))))
        .containsExactly("mapping.email:unknown_column");
    assertThat(errorCodes(() -> ImportColumns.of(List.of("phone", "a b", "a-b", "###"), Map.of())))
        .containsExactlyInAnyOrder("file:invalid_column", "file:duplicate_column");
    List<String> many = new java.util.ArrayList<>(List.of("phone"));
    for (int i = 0; i < 51; i++) {
      many.add("field" + i);
    }
    assertThat(errorCodes(() -> ImportColumns.of(many, Map.of())))
        .containsExactly("file:too_many_columns");
    assertThatThrownBy(() -> ImportColumns.of(List.of("phone"), Map.of("phone", "nope")))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("no column 'nope'");
  }
}
