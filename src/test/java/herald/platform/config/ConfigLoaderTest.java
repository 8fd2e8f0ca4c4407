package herald.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static Vertx vertx;

  @TempDir Path dir;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  private HeraldConfig load(String yaml, Map<String, String> env) throws Exception {
    Path file = dir.resolve("herald.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(vertx, file, true, env).await();
  }

  @Test
  void usesBuiltInDefaultsWhenTheOptionalFileIsMissing() {
    HeraldConfig config =
        ConfigLoader.load(vertx, dir.resolve("absent.yaml"), false, Map.of()).await();
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.database().embedded()).isTrue();
    assertThat(config.rateLimits().login().limit()).isEqualTo(5);
    assertThat(config.rateLimits().login().period()).hasSeconds(60);
  }

  @Test
  void fileValuesOverrideDefaultsAndKeepSiblings() throws Exception {
    HeraldConfig config =
        load("http:\n  port: 9191\nrate_limits:\n  sends: { limit: 7 }\n", Map.of());
    assertThat(config.http().port()).isEqualTo(9191);
    assertThat(config.http().instances()).isEqualTo(2);
    assertThat(config.rateLimits().sends().limit()).isEqualTo(7);
    assertThat(config.rateLimits().sends().period()).hasSeconds(1);
  }

  @Test
  void environmentOverridesEveryKeyByOneRule() throws Exception {
    HeraldConfig config =
        load(
            "http:\n  port: 9191\n",
            Map.of(
                "HERALD_HTTP_PORT", "9292",
                "HERALD_DATA_DIR", "/tmp/herald-env",
                "HERALD_DATABASE_URL", "postgresql://u:p@db.example:5433/h",
                "HERALD_ADMIN_PASSWORD", "from-the-env",
                "HERALD_JWT_SECRET", "0123456789abcdef0123456789abcdef",
                "HERALD_RATE_LIMITS_LOGIN_LIMIT", "9"));
    assertThat(config.http().port()).isEqualTo(9292);
    assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/herald-env"));
    assertThat(config.database().url()).isEqualTo("postgresql://u:p@db.example:5433/h");
    assertThat(config.database().embedded()).isFalse();
    assertThat(config.admin().password()).isEqualTo("from-the-env");
    assertThat(config.jwt().secret()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(config.rateLimits().login().limit()).isEqualTo(9);
  }

  @Test
  void campaignSettingsAreTakenFromTheFileAndFromTheEnvironment() throws Exception {
    CampaignConfig builtIn = load("", Map.of()).campaigns();
    assertThat(builtIn).isEqualTo(new CampaignConfig(1, 500, 500, 20_000, 0.0075, "USD"));
    assertThat(load("campaigns: {instances: 3}\n", Map.of()).campaigns().instances()).isEqualTo(3);
    assertThat(load("", Map.of("HERALD_CAMPAIGNS_INSTANCES", "3")).campaigns().instances())
        .isEqualTo(3);
    CampaignConfig fromFile =
        load(
                "campaigns:\n  batch_size: 50\n  lookahead_ms: 900\n  snapshot_chunk: 1000\n"
                    + "  price_per_segment: 0.01\n  currency: EUR\n",
                Map.of("HERALD_CAMPAIGNS_BATCH_SIZE", "60"))
            .campaigns();
    assertThat(fromFile).isEqualTo(new CampaignConfig(1, 60, 900, 1000, 0.01, "EUR"));
    assertThatThrownBy(() -> load("campaigns: {instances: 0}\n", Map.of()))
        .hasMessageContaining("campaigns.instances")
        .hasMessageContaining("between 1 and 64");
    assertThatThrownBy(() -> load("", Map.of("HERALD_CAMPAIGNS_CURRENCY", "euro")))
        .hasMessageContaining("campaigns.currency");
    assertThatThrownBy(() -> load("", Map.of("HERALD_CAMPAIGNS_PRICE_PER_SEGMENT", "-1")))
        .hasMessageContaining("campaigns.price_per_segment");
  }

  @Test
  void theShippedSampleConfigOnlyUsesKnownKeysAndLoads() {
    HeraldConfig config =
        ConfigLoader.load(vertx, Path.of("config", "herald.yaml"), true, Map.of()).await();
    assertThat(config.campaigns().instances()).isEqualTo(1);
    assertThat(config.http().port()).isEqualTo(8080);
  }

  @Test
  void aRequiredValueSetEmptyIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> load("", Map.of("HERALD_HTTP_HOST", " ")))
        .hasMessageContaining("http.host")
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> load("http:\n  port: ~\n", Map.of()))
        .hasMessageContaining("http.port");
  }

  @Test
  void envNameUpperCasesThePathWithUnderscores() {
    assertThat(ConfigLoader.envName("http.port")).isEqualTo("HERALD_HTTP_PORT");
    assertThat(ConfigLoader.envName("webhooks.allow_private_targets"))
        .isEqualTo("HERALD_WEBHOOKS_ALLOW_PRIVATE_TARGETS");
  }

  @Test
  void badValueStopsStartUpNamingTheKey() {
    assertThatThrownBy(() -> load("http:\n  port: lots\n", Map.of()))
        .hasMessageContaining("http.port")
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> load("", Map.of("HERALD_HTTP_PORT", "70000")))
        .hasMessageContaining("http.port")
        .hasMessageContaining("between");
    assertThatThrownBy(() -> load("database:\n  url: mysql://x/y\n", Map.of()))
        .hasMessageContaining("database.url");
    assertThatThrownBy(() -> load("jwt:\n  secret: short\n", Map.of()))
        .hasMessageContaining("jwt.secret");
  }

  @Test
  void unknownKeyIsRefusedSoTyposDoNotPassSilently() {
    assertThatThrownBy(() -> load("htpp:\n  port: 1\n", Map.of())).hasMessageContaining("htpp");
    assertThatThrownBy(() -> load("http:\n  prot: 1\n", Map.of()))
        .hasMessageContaining("http.prot");
  }

  @Test
  void explicitConfigFileThatDoesNotExistFails() {
    assertThatThrownBy(
            () -> ConfigLoader.load(vertx, dir.resolve("nope.yaml"), true, Map.of()).await())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.yaml");
  }
}
