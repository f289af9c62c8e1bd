/*
 * kafka-mock: librdkafka's in-process mock Kafka cluster as a standalone test peer.
 *
 *   kafka-mock [--die-with-parent] [BROKERS] [TOPIC:PARTITIONS ...]
 *
 * Prints the bootstrap servers on the first stdout line, then reads fault-injection
 * commands from stdin, one per line, and answers each with "ok" or "error <reason>":
 *
 *   down <brokerId>                       disconnect a broker and refuse new connections
 *   up <brokerId>                         accept connections again
 *   topic <name> <partitions>             create a topic
 *   errors <apiKey> <count> <errorCode>   fail the next <count> requests of <apiKey>
 *
 * It stops on SIGTERM/SIGINT only: stdin reaching EOF (CI runs it with no stdin) just ends
 * the command channel. --die-with-parent (used by the test helper) sends it SIGTERM when
 * the process that started it exits, so a crashed test run leaves no orphan behind.
 *
 * Build: tools/kafka-mock/build.sh (gcc -O2 ... -lrdkafka, librdkafka-dev).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_ERRORS 10000

static volatile sig_atomic_t stop_requested = 0;

static void on_signal(int sig) {
        (void)sig;
        stop_requested = 1;
}

static int parse_int(const char *text, long min, long max, long *out) {
        char *end;
        long value;
        if (!text || !*text)
                return -1;
        errno = 0;
        value = strtol(text, &end, 10);
        if (errno || *end || value < min || value > max)
                return -1;
        *out = value;
        return 0;
}

static int replication_for(int broker_cnt) {
        return broker_cnt < 3 ? broker_cnt : 3;
}

static void reply_ok(void) {
        fputs("ok\n", stdout);
        fflush(stdout);
}

static void reply_error(const char *reason) {
        fprintf(stdout, "error %s\n", reason);
        fflush(stdout);
}

static void run_command(rd_kafka_mock_cluster_t *mc, int broker_cnt, char *line) {
        char *args[5] = {0};
        int argc = 0;
        char *save = NULL;
        char *token;
        long id, count, code, partitions;
        rd_kafka_resp_err_t err;

        for (token = strtok_r(line, " \t\r", &save); token && argc < 5;
             token = strtok_r(NULL, " \t\r", &save))
                args[argc++] = token;
        if (argc == 0)
                return; /* blank line: no answer expected */

        if ((!strcmp(args[0], "down") || !strcmp(args[0], "up")) && argc == 2) {
                if (parse_int(args[1], -1, broker_cnt, &id)) {
                        reply_error("bad broker id");
                        return;
                }
                err = !strcmp(args[0], "down")
                          ? rd_kafka_mock_broker_set_down(mc, (int32_t)id)
                          : rd_kafka_mock_broker_set_up(mc, (int32_t)id);
                if (err)
                        reply_error(rd_kafka_err2str(err));
                else
                        reply_ok();
        } else if (!strcmp(args[0], "topic") && argc == 3) {
                if (parse_int(args[2], 1, 100000, &partitions)) {
                        reply_error("bad partition count");
                        return;
                }
                err = rd_kafka_mock_topic_create(mc, args[1], (int)partitions,
                                                 replication_for(broker_cnt));
                if (err)
                        reply_error(rd_kafka_err2str(err));
                else
                        reply_ok();
        } else if (!strcmp(args[0], "errors") && argc == 4) {
                rd_kafka_resp_err_t *errors;
                long i;
                if (parse_int(args[1], 0, 32767, &id) ||
                    parse_int(args[2], 1, MAX_ERRORS, &count) ||
                    parse_int(args[3], -200, 32767, &code)) {
                        reply_error("usage: errors <apiKey> <count> <errorCode>");
                        return;
                }
                errors = malloc(sizeof(*errors) * (size_t)count);
                if (!errors) {
                        reply_error("out of memory");
                        return;
                }
                for (i = 0; i < count; i++)
                        errors[i] = (rd_kafka_resp_err_t)code;
                rd_kafka_mock_push_request_errors_array(mc, (int16_t)id, (size_t)count,
                                                        errors);
                free(errors);
                reply_ok();
        } else {
                reply_error("unknown command (down <id> | up <id> | topic <name> <partitions> | "
                            "errors <apiKey> <count> <code>)");
        }
}

/* Reads what is available on stdin and runs every complete line. Returns 0 on EOF. */
static int read_commands(rd_kafka_mock_cluster_t *mc, int broker_cnt, char *buf, size_t size,
                         size_t *used) {
        ssize_t n = read(STDIN_FILENO, buf + *used, size - 1 - *used);
        char *start, *newline;
        if (n < 0)
                return errno == EINTR || errno == EAGAIN ? 1 : 0;
        if (n == 0)
                return 0;
        *used += (size_t)n;
        buf[*used] = '\0';
        start = buf;
        while ((newline = strchr(start, '\n'))) {
                *newline = '\0';
                run_command(mc, broker_cnt, start);
                start = newline + 1;
        }
        *used -= (size_t)(start - buf);
        memmove(buf, start, *used);
        if (*used == size - 1) { /* a line longer than the buffer: drop it */
                *used = 0;
                reply_error("line too long");
        }
        return 1;
}

int main(int argc, char **argv) {
        char errstr[512];
        char buf[4096];
        size_t used = 0;
        int stdin_open = 1;
        int broker_cnt = 1;
        int first = 1;
        int i;
        long value;
        struct sigaction action;
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_mock_cluster_t *mc;

        if (argc > first && !strcmp(argv[first], "--die-with-parent")) {
                pid_t parent = getppid();
                prctl(PR_SET_PDEATHSIG, SIGTERM);
                if (getppid() != parent) /* the parent died before prctl took effect */
                        return 0;
                first++;
        }
        if (argc > first && !parse_int(argv[first], 1, 64, &value)) {
                broker_cnt = (int)value;
                first++;
        }

        memset(&action, 0, sizeof(action));
        action.sa_handler = on_signal; /* no SA_RESTART: poll() returns EINTR */
        sigemptyset(&action.sa_mask);
        sigaction(SIGTERM, &action, NULL);
        sigaction(SIGINT, &action, NULL);

        conf = rd_kafka_conf_new();
        /* This handle only hosts the mock; hide its "no bootstrap.servers" notice. */
        rd_kafka_conf_set(conf, "log_level", "4", errstr, sizeof(errstr));
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "kafka-mock: rd_kafka_new failed: %s\n", errstr);
                return 1;
        }
        mc = rd_kafka_mock_cluster_new(rk, broker_cnt);
        if (!mc) {
                fprintf(stderr, "kafka-mock: rd_kafka_mock_cluster_new failed\n");
                rd_kafka_destroy(rk);
                return 1;
        }

        for (i = first; i < argc; i++) {
                char *colon = strrchr(argv[i], ':');
                long partitions = 4;
                rd_kafka_resp_err_t err;
                if (colon) {
                        *colon = '\0';
                        if (parse_int(colon + 1, 1, 100000, &partitions)) {
                                fprintf(stderr, "kafka-mock: bad topic argument %s:%s\n",
                                        argv[i], colon + 1);
                                rd_kafka_mock_cluster_destroy(mc);
                                rd_kafka_destroy(rk);
                                return 2;
                        }
                }
                err = rd_kafka_mock_topic_create(mc, argv[i], (int)partitions,
                                                 replication_for(broker_cnt));
                if (err) {
                        fprintf(stderr, "kafka-mock: cannot create topic %s: %s\n", argv[i],
                                rd_kafka_err2str(err));
                        rd_kafka_mock_cluster_destroy(mc);
                        rd_kafka_destroy(rk);
                        return 1;
                }
        }

        fprintf(stdout, "%s\n", rd_kafka_mock_cluster_bootstraps(mc));
        fflush(stdout);

        while (!stop_requested) {
                struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
                int ready = poll(&pfd, stdin_open ? 1 : 0, 500);
                if (ready <= 0 || !stdin_open)
                        continue;
                if (pfd.revents & POLLNVAL)
                        stdin_open = 0;
                else if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
                        stdin_open = read_commands(mc, broker_cnt, buf, sizeof(buf), &used);
        }

        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(rk);
        return 0;
}
