package io.modelprefetch.downloader.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir Path dir;

  @Test
  void reopeningWithTheSameIdentityKeepsRecordedRanges() throws Exception {
    Path p = dir.resolve("f.journal");
    try (Journal j = Journal.open(p, "100:sha")) {
      j.record(0, 10);
      j.record(40, 60);
    }
    try (Journal j = Journal.open(p, "100:sha")) {
      assertThat(j.covered()).isEqualTo(30);
      assertThat(j.gaps(100)).containsExactly(new long[] {10, 40}, new long[] {60, 100});
    }
  }

  @Test
  void anotherIdentityStartsAfresh() throws Exception {
    Path p = dir.resolve("f.journal");
    try (Journal j = Journal.open(p, "100:old")) {
      j.record(0, 50);
    }
    try (Journal j = Journal.open(p, "100:new")) {
      assertThat(j.covered()).isZero();
    }
  }

  @Test
  void aTornLastLineIsIgnored() throws Exception {
    Path p = dir.resolve("f.journal");
    try (Journal j = Journal.open(p, "100:sha")) {
      j.record(0, 10);
    }
    Files.writeString(p, "20 3", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
    try (Journal j = Journal.open(p, "100:sha")) {
      assertThat(j.covered()).isEqualTo(10);
    }
  }
}
