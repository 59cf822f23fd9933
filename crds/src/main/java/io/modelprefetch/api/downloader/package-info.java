/**
 * The downloader's side of the contract with the operator, besides the status it patches: the exit
 * codes of the {@code modelprefetch} CLI and the JSON it writes as its termination message. The CLI
 * produces them, the download Job's pod-failure policy and the operator's status read them.
 */
package io.modelprefetch.api.downloader;
