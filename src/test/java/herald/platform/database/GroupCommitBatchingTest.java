package herald.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit with a writer that records what it was given and completes when the test says so,
 * standing in for a transaction.
 */
class GroupCommitBatchingTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();

  /** One call of the writer: its key, its items, and the promise that completes it. */
  private record Write(String key, List<Integer> items, Promise<String> done) {}

  private final List<Write> writes = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private GroupCommit<String, Integer, String> group(int maxInFlight, boolean retryAlone) {
    return new GroupCommit<>(
        context,
        new GroupCommit.Options(Duration.ZERO, maxInFlight, 100, retryAlone),
        (key, items) -> {
          Promise<String> done = Promise.promise();
          writes.add(new Write(key, items, done));
          return done.future();
        });
  }

  /** Submits on the group's context, as its owner does, and returns the futures. */
  private List<Future<String>> submit(
      GroupCommit<String, Integer, String> group, String key, int... items) {
    Promise<List<Future<String>>> submitted = Promise.promise();
    context.runOnContext(
        v -> {
          List<Future<String>> futures = new ArrayList<>();
          for (int item : items) {
            futures.add(group.submit(key, item));
          }
          submitted.complete(futures);
        });
    return submitted.future().await();
  }

  private void awaitWrites(int n) {
    herald.testing.Await.until(n + " writes", Duration.ofSeconds(5), () -> writes.size() >= n);
  }

  private void complete(int write, String result) {
    context.runOnContext(v -> writes.get(write).done().complete(result));
  }

  private void fail(int write, String message) {
    context.runOnContext(v -> writes.get(write).done().fail(message));
  }

  @Test
  void itemsSubmittedTogetherAreWrittenInOneGroupPerKey() {
    GroupCommit<String, Integer, String> group = group(1, false);
    List<Future<String>> a = submit(group, "a", 1, 2, 3);
    awaitWrites(1);
    assertThat(writes.get(0).key()).isEqualTo("a");
    assertThat(writes.get(0).items()).containsExactly(1, 2, 3);
    complete(0, "ok");
    assertThat(Future.all(a).await().list()).containsExactly("ok", "ok", "ok");
  }

  @Test
  void itemsArrivingWhileAWriteIsUnderWayWaitAndGoInTheNextGroupedByKey() {
    GroupCommit<String, Integer, String> group = group(1, false);
    List<Future<String>> first = submit(group, "a", 1);
    awaitWrites(1);
    List<Future<String>> a = submit(group, "a", 2, 3);
    List<Future<String>> b = submit(group, "b", 4);
    herald.testing.Await.stillAfter(
        Duration.ofMillis(200),
        "no second write while one is in flight",
        writes::size,
        n -> n == 1);
    complete(0, "first");
    awaitWrites(3);
    assertThat(writes.subList(1, 3))
        .extracting(Write::key, Write::items)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("a", List.of(2, 3)),
            org.assertj.core.groups.Tuple.tuple("b", List.of(4)));
    writes.forEach(w -> context.runOnContext(v -> w.done().tryComplete(w.key())));
    assertThat(first.get(0).await()).isEqualTo("first");
    assertThat(Future.all(a).await().list()).containsExactly("a", "a");
    assertThat(b.get(0).await()).isEqualTo("b");
  }

  @Test
  void aFailedGroupFailsEachOfItsItems() {
    GroupCommit<String, Integer, String> group = group(1, false);
    List<Future<String>> a = submit(group, "a", 1, 2);
    awaitWrites(1);
    fail(0, "deadlock");
    for (Future<String> f : a) {
      herald.testing.Await.until("the item to fail", Duration.ofSeconds(5), f::isComplete);
      assertThat(f.failed()).isTrue();
      assertThat(f.cause()).hasMessage("deadlock");
    }
  }

  @Test
  void withRetryAloneAFailedGroupIsWrittenAgainItemByItemSoOneBadItemFailsOnlyItself() {
    GroupCommit<String, Integer, String> group = group(1, true);
    List<Future<String>> a = submit(group, "a", 1, 2);
    awaitWrites(1);
    fail(0, "item 2 is bad");
    awaitWrites(3);
    for (int i = 1; i < 3; i++) {
      Write w = writes.get(i);
      assertThat(w.items()).hasSize(1);
      if (w.items().get(0) == 1) {
        complete(i, "alone");
      } else {
        fail(i, "bad");
      }
    }
    herald.testing.Await.until("both items", Duration.ofSeconds(5), () -> a.get(1).isComplete());
    assertThat(a.get(0).await()).isEqualTo("alone");
    assertThat(a.get(1).failed()).isTrue();
  }

  @Test
  void atMostMaxInFlightWritesRunAtOnce() {
    GroupCommit<String, Integer, String> group = group(2, false);
    submit(group, "a", 1);
    awaitWrites(1);
    submit(group, "a", 2);
    awaitWrites(2);
    submit(group, "a", 3);
    herald.testing.Await.stillAfter(
        Duration.ofMillis(200), "two writes in flight at most", writes::size, n -> n == 2);
    complete(0, "done");
    awaitWrites(3);
    assertThat(writes.get(2).items()).containsExactly(3);
  }

  @Test
  void anItemHeavierThanAFlushGoesAloneAndTheRestFollow() {
    List<List<Integer>> seen = new CopyOnWriteArrayList<>();
    GroupCommit<String, Integer, String> group =
        new GroupCommit<>(
            context,
            new GroupCommit.Options(Duration.ZERO, 1, 10, false),
            (key, items) -> {
              seen.add(items);
              return Future.succeededFuture("ok");
            },
            item -> item);
    List<Future<String>> all = submit(group, "a", 4, 4, 20, 1);
    assertThat(Future.all(all).await().list()).hasSize(4);
    assertThat(seen).containsExactly(List.of(4, 4), List.of(20), List.of(1));
  }
}
