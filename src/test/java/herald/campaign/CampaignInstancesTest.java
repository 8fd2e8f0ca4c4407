package herald.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import herald.testing.TestHerald;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.deployment.DeploymentContext;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code campaigns.instances} from {@code herald.yaml} and from {@code HERALD_CAMPAIGNS_INSTANCES},
 * loaded by the real configuration loader, decides how many campaign engines Herald deploys.
 */
class CampaignInstancesTest {

  @Test
  void campaignsInstancesInTheFileDeploysThatManyCampaignEngines() {
    try (TestHerald herald =
        TestHerald.start(
            new JsonObject().put("campaigns", new JsonObject().put("instances", 3)),
            Map.of(),
            Clock.systemUTC())) {
      assertThat(campaignEngines(herald.vertx())).isEqualTo(3);
      assertThat(readyInstances(herald)).isEqualTo(3);
    }
  }

  @Test
  void heraldCampaignsInstancesInTheEnvironmentDeploysThatManyCampaignEngines() {
    try (TestHerald herald =
        TestHerald.start(
            new JsonObject(), Map.of("HERALD_CAMPAIGNS_INSTANCES", "3"), Clock.systemUTC())) {
      assertThat(campaignEngines(herald.vertx())).isEqualTo(3);
      assertThat(readyInstances(herald)).isEqualTo(3);
    }
  }

  @Test
  void byDefaultOneCampaignEngineIsDeployed() {
    try (TestHerald herald = TestHerald.start()) {
      assertThat(campaignEngines(herald.vertx())).isEqualTo(1);
      assertThat(readyInstances(herald)).isEqualTo(1);
    }
  }

  /** Campaign engine verticles Vert.x actually runs (not what Herald says it asked for). */
  private static long campaignEngines(Vertx vertx) {
    return ((VertxInternal) vertx)
        .deploymentManager().deployments().stream()
            .map(DeploymentContext::deployment)
            .flatMap(deployment -> deployment.instances().stream())
            .filter(CampaignVerticle.class::isInstance)
            .count();
  }

  /** The instance count {@code /health/ready} reports for the campaign group. */
  private static int readyInstances(TestHerald herald) {
    HttpResponse<Buffer> ready = herald.client().get("/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject campaigns =
        ready.bodyAsJsonObject().getJsonObject("components").getJsonObject(CampaignVerticle.GROUP);
    assertThat(campaigns.getString("status")).isEqualTo("up");
    return campaigns.getInteger("instances");
  }
}
