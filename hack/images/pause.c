/* The pod sandbox ("pause") process: holds the pod's namespaces and does nothing until it is
 * told to stop. PID 1 in its container, so it also reaps orphaned children. Built static
 * (gcc -static) by hack/images.sh; containerd's sandbox_image points at it. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_stop(int sig) { stop = sig; }

static void on_child(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(int argc, char **argv) {
  (void)argv;
  if (argc > 1) {
    fputs("usage: pause (no arguments): waits for SIGTERM or SIGINT\n", stderr);
    return 2;
  }
  struct sigaction stop_action = {0}, child_action = {0};
  stop_action.sa_handler = on_stop;
  child_action.sa_handler = on_child;
  child_action.sa_flags = SA_NOCLDSTOP | SA_RESTART;
  if (sigaction(SIGTERM, &stop_action, NULL) != 0 || sigaction(SIGINT, &stop_action, NULL) != 0
      || sigaction(SIGCHLD, &child_action, NULL) != 0) {
    perror("pause: sigaction");
    return 1;
  }
  while (!stop) {
    pause();
  }
  fprintf(stderr, "pause: signal %d, exiting\n", (int)stop);
  return 0;
}
