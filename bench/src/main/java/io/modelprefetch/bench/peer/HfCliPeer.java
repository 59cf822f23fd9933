package io.modelprefetch.bench.peer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * huggingface_hub's {@code hf download} (snapshot_download) with 16 workers instead of the default
 * 8. huggingface_hub 2.x dropped hf_transfer (HF_HUB_ENABLE_HF_TRANSFER only warns), and its Xet
 * path needs Xet-backed files, which the fixture does not serve, so this is its fastest plain-HTTP
 * mode.
 */
public record HfCliPeer(Path hf) implements Peer {
  @Override
  public String tool() {
    return "hf download --max-workers 16";
  }

  @Override
  public Source source() {
    return Source.HF;
  }

  @Override
  public PeerCommand command(Job job) {
    var e = job.endpoints();
    return new PeerCommand(
        List.of(
            hf.toString(),
            "download",
            e.hubRepo(),
            "--local-dir",
            job.dest().toString(),
            "--max-workers",
            "16",
            "--quiet"),
        Map.of(
            "HF_ENDPOINT",
            e.hub().toString(),
            "HF_HOME",
            job.scratch().resolve("hf-home").toString(),
            "HF_HUB_DISABLE_TELEMETRY",
            "1",
            "HF_HUB_DISABLE_PROGRESS_BARS",
            "1",
            "HF_HUB_DOWNLOAD_TIMEOUT",
            "60"));
  }
}
