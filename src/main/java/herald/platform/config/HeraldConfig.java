package herald.platform.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The whole validated configuration. Built once at start-up from {@code config/herald.yaml} merged
 * over the built-in defaults, with {@code HERALD_*} environment overrides; handlers receive these
 * records, never raw JSON.
 *
 * @param dataDir where Herald keeps local state (embedded PostgreSQL under {@code pg/})
 */
public record HeraldConfig(
    Path dataDir,
    HttpConfig http,
    DatabaseConfig database,
    AdminConfig admin,
    JwtConfig jwt,
    PasswordConfig passwords,
    RateLimitConfig rateLimits,
    EngineConfig engine,
    CampaignConfig campaigns,
    SmsConfig sms,
    SimulatorConfig simulators,
    WebhookConfig webhooks,
    ContactsConfig contacts,
    MetricsConfig metrics,
    ClusterConfig cluster,
    AgentConfig agents,
    VoiceConfig voice) {

  /**
   * Validates the merged configuration tree, which must hold every key (the built-in defaults under
   * the operator's values: use {@link ConfigLoader}); throws {@link ConfigException} naming the bad
   * key, or a key missing from the defaults.
   */
  public static HeraldConfig from(JsonObject json) {
    ConfigNode root = new ConfigNode(json, "");
    return new HeraldConfig(
        Path.of(root.string("data_dir")).toAbsolutePath().normalize(),
        HttpConfig.from(root.child("http")),
        DatabaseConfig.from(root.child("database")),
        AdminConfig.from(root.child("admin")),
        JwtConfig.from(root.child("jwt")),
        PasswordConfig.from(root.child("passwords")),
        RateLimitConfig.from(root.child("rate_limits")),
        EngineConfig.from(root.child("engine")),
        CampaignConfig.from(root.child("campaigns")),
        SmsConfig.from(root.child("sms")),
        SimulatorConfig.from(root.child("simulators")),
        WebhookConfig.from(root.child("webhooks")),
        ContactsConfig.from(root.child("contacts")),
        MetricsConfig.from(root.child("metrics")),
        ClusterConfig.from(root.child("cluster")),
        AgentConfig.from(root.child("agents")),
        VoiceConfig.from(root.child("voice")));
  }
}
