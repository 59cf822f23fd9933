package io.modelprefetch.downloader.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelprefetch.downloader.manifest.RemoteFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkQueueTest {
  private static final long MIB = 1 << 20;
  @TempDir Path dir;

  private final TransferSettings settings =
      new TransferSettings(4, 2 * MIB, 32 * MIB, 3, 4 * MIB, Duration.ofSeconds(1));

  @Test
  void coversEveryByteOnceWithRangesThatShrinkTowardTheEnd() throws Exception {
    FileTask big = task("big", 1000 * MIB, true);
    WorkQueue q = new WorkQueue(settings);
    q.add(big);
    List<Chunk> chunks = drain(q);
    long pos = 0;
    for (Chunk c : chunks) {
      assertThat(c.start()).isEqualTo(pos);
      pos = c.end();
    }
    assertThat(pos).isEqualTo(1000 * MIB);
    assertThat(chunks.getFirst().length()).isEqualTo(32 * MIB);
    assertThat(chunks.getLast().length()).isLessThanOrEqualTo(4 * MIB);
    assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isBetween(2 * MIB, 32 * MIB));
  }

  @Test
  void smallAndUnrangedFilesGoWhole() throws Exception {
    WorkQueue q = new WorkQueue(settings);
    q.add(task("small", 3 * MIB, true));
    q.add(task("unranged", 100 * MIB, false));
    assertThat(drain(q)).extracting(Chunk::length).containsExactly(3 * MIB, 100 * MIB);
  }

  @Test
  void returnsNullOnceEveryFileIsFinished() throws Exception {
    WorkQueue q = new WorkQueue(settings);
    q.add(task("a", MIB, true));
    assertThat(q.take()).isNotNull();
    q.finished();
    assertThat(q.take()).isNull();
  }

  private static List<Chunk> drain(WorkQueue q) {
    List<Chunk> out = new ArrayList<>();
    for (Chunk c = q.poll(); c != null; c = q.poll()) {
      out.add(c);
    }
    return out;
  }

  private FileTask task(String name, long size, boolean ranged) throws Exception {
    Path partial = Files.createFile(dir.resolve(name));
    RemoteFile file = new RemoteFile(name, size, List.of(), name, "v1", ranged);
    Path journal = dir.resolve(name + ".journal");
    return new FileTask(
        new Plan.Fetch(file, partial, journal, Journal.open(journal, file.identity())));
  }
}
