package herald.sim.smpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Gsm7AndUdhTest {

  @Test
  void encodesBasicAndExtensionCharactersAsUnpackedSeptetsAndBack() {
    String text = "@£$¥ Hello {world} [x] ~ | \\ ^ €uro ÄÖÑÜ§¿äöñüà";

    byte[] septets = Gsm7.encode(text);

    assertThat(septets[0]).isEqualTo((byte) 0x00); // '@'
    assertThat(Gsm7.encode("€")).containsExactly(0x1B, 0x65);
    assertThat(Gsm7.encode("{")).containsExactly(0x1B, 0x28);
    assertThat(Gsm7.decode(septets, 0)).isEqualTo(text);
    assertThat(Gsm7.canEncode(text)).isTrue();
  }

  @Test
  void refusesCharactersOutsideTheGsmAlphabet() {
    assertThat(Gsm7.canEncode("Привет")).isFalse();
    assertThat(Gsm7.canEncode("naïve")).isFalse(); // ï is not in GSM 03.38
    assertThatThrownBy(() -> Gsm7.encode("`")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsA16BitReferenceConcatenationHeaderAndCountsItsSeptets() {
    byte[] message = {6, 0x08, 4, 0x12, 0x34, 4, 2, 'h', 'i'};

    Udh udh = Udh.parse(message);

    assertThat(udh.length()).isEqualTo(7);
    assertThat(udh.septets()).isEqualTo(8);
    assertThat(udh.concatRef()).isEqualTo(0x1234);
    assertThat(udh.concatTotal()).isEqualTo(4);
    assertThat(udh.concatSeq()).isEqualTo(2);
  }

  @Test
  void passesOtherElementsThroughAndRejectsMalformedHeaders() {
    byte[] portsOnly = {6, 0x05, 4, 0x0B, (byte) 0x84, 0x23, (byte) 0xF0};
    assertThat(Udh.parse(portsOnly).concatRef()).isNull();

    assertThatThrownBy(() -> Udh.parse(new byte[] {5, 0x00, 3, 1, 2}))
        .isInstanceOf(IllegalArgumentException.class); // UDHL overruns
    assertThatThrownBy(() -> Udh.parse(new byte[] {4, 0x00, 2, 1, 2}))
        .isInstanceOf(IllegalArgumentException.class); // wrong element length
    assertThatThrownBy(() -> Udh.parse(new byte[] {5, 0x00, 3, 1, 2, 0}))
        .isInstanceOf(IllegalArgumentException.class); // sequence 0
    assertThatThrownBy(() -> Udh.parse(new byte[] {10, 0x00, 3, 1, 2, 1, 0x00, 3, 1, 2, 2, 'x'}))
        .isInstanceOf(IllegalArgumentException.class); // two concatenation elements
  }
}
