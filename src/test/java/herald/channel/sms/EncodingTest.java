package herald.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EncodingTest {
  @Test
  void plainAndExtendedGsmTextStaysGsm7() {
    assertThat(Encoding.detect("Hello {world} €5 [ok] ~^|\\ @£$¥ èé")).isEqualTo(Encoding.GSM_7);
  }

  @Test
  void anyCharacterOutsideTheGsmTablesMakesItUcs2() {
    assertThat(Encoding.detect("Olá, ça va? ü")).isEqualTo(Encoding.UCS_2); // á is not in GSM 03.38
    assertThat(Encoding.detect("hi 😀")).isEqualTo(Encoding.UCS_2);
    assertThat(Encoding.detect("Привет")).isEqualTo(Encoding.UCS_2);
  }

  @Test
  void gsmSegmentsAre160Then153AndExtensionCharactersCountDouble() {
    assertThat(Encoding.GSM_7.segments("a".repeat(160))).isEqualTo(1);
    assertThat(Encoding.GSM_7.segments("a".repeat(161))).isEqualTo(2);
    assertThat(Encoding.GSM_7.segments("a".repeat(306))).isEqualTo(2);
    assertThat(Encoding.GSM_7.segments("a".repeat(307))).isEqualTo(3);
    assertThat(Encoding.GSM_7.units("€".repeat(80))).isEqualTo(160);
    assertThat(Encoding.GSM_7.segments("€".repeat(80))).isEqualTo(1);
    assertThat(Encoding.GSM_7.segments("a" + "€".repeat(80))).isEqualTo(2);
  }

  @Test
  void anEscapeSequenceIsNeverSplitAcrossSegments() {
    // 152 septets then '€' (2 septets): it cannot fit in the first 153-septet part.
    String text = "a".repeat(152) + "€" + "b".repeat(10);
    var parts = Encoding.GSM_7.split(text);
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0)).isEqualTo("a".repeat(152));
    assertThat(String.join("", parts)).isEqualTo(text);
  }

  @Test
  void ucs2SegmentsAre70Then67AndSurrogatePairsStayWhole() {
    assertThat(Encoding.UCS_2.segments("ж".repeat(70))).isEqualTo(1);
    assertThat(Encoding.UCS_2.segments("ж".repeat(71))).isEqualTo(2);
    assertThat(Encoding.UCS_2.segments("ж".repeat(134))).isEqualTo(2);
    assertThat(Encoding.UCS_2.segments("ж".repeat(135))).isEqualTo(3);
    String emoji = "ж".repeat(66) + "😀" + "ж".repeat(10);
    var parts = Encoding.UCS_2.split(emoji);
    assertThat(parts.get(0)).hasSize(66);
    assertThat(String.join("", parts)).isEqualTo(emoji);
  }

  @Test
  void gsmEncodingRoundTripsThroughSeptets() {
    String text = "Hi {you} €5 @ Ωmega\n";
    byte[] octets = Encoding.GSM_7.encode(text);
    assertThat(octets).hasSize(Encoding.GSM_7.units(text));
    assertThat(octets[0]).isEqualTo((byte) 'H');
    assertThat(Encoding.GSM_7.encode("@")).containsExactly(0x00);
    assertThat(Encoding.GSM_7.encode("€")).containsExactly(0x1B, 0x65);
    assertThat(Encoding.GSM_7.decode(octets)).isEqualTo(text);
    assertThat(Encoding.UCS_2.decode(Encoding.UCS_2.encode("Привет 😀"))).isEqualTo("Привет 😀");
  }
}
