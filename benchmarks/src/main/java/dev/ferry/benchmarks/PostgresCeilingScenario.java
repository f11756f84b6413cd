package dev.ferry.benchmarks;

import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * PostgreSQL's own ceiling on this machine: 512-byte rows in batched inserts of 100 per transaction
 * from 2 threads, no broker involved. "Latency" is the commit time of each batch.
 */
final class PostgresCeilingScenario implements Scenario {
  private final Jdbi jdbi;

  PostgresCeilingScenario(DataSource dataSource) {
    this.jdbi = Jdbi.create(dataSource);
    jdbi.useHandle(
        h ->
            h.execute(
                "create table if not exists bench_ceiling (id uuid primary key, body bytea not null)"));
  }

  @Override
  public String name() {
    return "PostgreSQL ceiling, batched inserts";
  }

  @Override
  public Result run(int messages, int rate) throws Exception {
    if (rate > 0) {
      return null; // a ceiling has no fixed-rate run
    }
    jdbi.useHandle(h -> h.execute("truncate bench_ceiling"));
    Latencies latencies = new Latencies(messages);
    byte[] body = new byte[512];
    Thread[] threads = new Thread[2];
    long start = System.nanoTime();
    for (int t = 0; t < threads.length; t++) {
      int share = messages / threads.length + (t == 0 ? messages % threads.length : 0);
      threads[t] =
          new Thread(
              () -> {
                for (int done = 0; done < share; done += 100) {
                  int n = Math.min(100, share - done);
                  long began = System.nanoTime();
                  jdbi.useTransaction(
                      h -> {
                        PreparedBatch b =
                            h.prepareBatch("insert into bench_ceiling (id, body) values (?, ?)");
                        for (int i = 0; i < n; i++) {
                          b.bind(0, UUID.randomUUID()).bind(1, body).add();
                        }
                        b.execute();
                      });
                  for (int i = 0; i < n; i++) {
                    latencies.record(began);
                  }
                }
              });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return latencies.result(name(), 0, start, "rows/s");
  }
}
