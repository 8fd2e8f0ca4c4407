package herald.platform.config;

/**
 * The voice channel.
 *
 * @param recordingRetentionDays call recordings older than this many days are deleted (in Asterisk
 *     and in Herald) by the hourly housekeeping sweep; 0 keeps them until deleted through the API
 */
public record VoiceConfig(int recordingRetentionDays) {

  static VoiceConfig from(ConfigNode node) {
    return new VoiceConfig(node.integer("recording_retention_days", 0, 36_500));
  }
}
