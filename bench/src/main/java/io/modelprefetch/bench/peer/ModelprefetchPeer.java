package io.modelprefetch.bench.peer;

import io.modelprefetch.bench.data.Dataset;
import io.modelprefetch.fixtures.data.FileSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;


/**
 * {@code modelprefetch pull} through {@code hack/modelprefetch}. An https:// pull takes one file, so
 * the HTTP row pulls file after file (one JVM each) and is skipped for datasets with many files. Each
 * file gets its own --dest: a second https:// pull into the same directory is a new "revision" and
 * removes the first file; the script then renames every file into place (same filesystem).
 */
public record ModelprefetchPeer(Path launcher, Source source, List<String> flags) implements Peer {
    private static final int MAX_HTTP_FILES = 64;

    @Override
    public String tool() {
        return flags.isEmpty() ? "modelprefetch" : "modelprefetch " + String.join(" ", flags);
    }

    @Override
    public boolean supports(Dataset dataset) {
        return source != Source.HTTP || dataset.files().size() <= MAX_HTTP_FILES;
    }

    @Override
    public PeerCommand command(Job job) throws IOException {
        var e = job.endpoints();
        return switch (source) {
            case HF -> PeerCommand.of(pull("hf://" + e.hubRepo(), job.dest(), "--endpoint", e.hub().toString()));
            case S3 -> new PeerCommand(pull("s3://" + e.bucket() + "/", job.dest(), "--endpoint", e.s3().toString()),
                    job.s3Env());
            case HTTP -> PeerCommand.of(List.of("bash", "-e", httpScript(job).toString()));
        };
    }

    private List<String> pull(String uri, Path dest, String... more) {
        List<String> argv = new ArrayList<>(List.of(launcher.toString(), "pull", uri, "--dest", dest.toString(),
                "--progress", "none"));
        argv.addAll(List.of(more));
        argv.addAll(flags);
        return argv;
    }

    private Path httpScript(Job job) throws IOException {
        StringBuilder script = new StringBuilder();
        List<FileSpec> files = job.data().dataset().files();
        for (int i = 0; i < files.size(); i++) {
            FileSpec f = files.get(i);
            Path own = job.scratch().resolve("mp-" + i);
            Path target = job.dest().resolve(f.path());
            script.append(String.join(" ", pull(job.endpoints().httpFile(f.path()).toString(), own,
                    "--sha256", job.data().sha256().get(f.path())).stream().map(ModelprefetchPeer::quote).toList()))
                    .append("\nmkdir -p ").append(quote(target.getParent().toString()))
                    .append(" && mv ").append(quote(own.resolve(target.getFileName()).toString())).append(' ')
                    .append(quote(target.toString())).append('\n');
        }
        Path file = job.scratch().resolve("modelprefetch-http.sh");
        Files.writeString(file, script);
        return file;
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

}
