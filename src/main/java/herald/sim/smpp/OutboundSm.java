package herald.sim.smpp;

import org.jsmpp.bean.OptionalParameter;

/**
 * A deliver_sm the SMSC owes an ESME: a delivery receipt or a mobile-originated message. Held by
 * the {@link Outbox} until a bound receiver acknowledges it.
 *
 * @param receipt true for a delivery receipt, false for a mobile-originated message
 * @param label what logs call it: the receipted message_id, or the MO's sender
 * @param sourceTon type of number of {@code source}
 * @param sourceNpi numbering plan of {@code source}
 * @param source source_addr
 * @param destinationTon type of number of {@code destination}
 * @param destinationNpi numbering plan of {@code destination}
 * @param destination destination_addr
 * @param esmClass esm_class (0x04 for a receipt, 0x40 for an MO part with a UDH)
 * @param dataCoding data_coding of {@code shortMessage}
 * @param shortMessage the octets as sent; never modified after construction
 * @param tlvs optional parameters appended to the PDU
 */
record OutboundSm(
    boolean receipt,
    String label,
    byte sourceTon,
    byte sourceNpi,
    String source,
    byte destinationTon,
    byte destinationNpi,
    String destination,
    byte esmClass,
    byte dataCoding,
    byte[] shortMessage,
    OptionalParameter... tlvs) {}
