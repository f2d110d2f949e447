/*
 * The native floor of a baseline (issue 18): walk a tree, open, read and SHA-256 every regular
 * file, with N hashing threads (default 2) fed by one walking thread; no database, no output but a
 * summary. What a baseline cannot go below on this machine, for bench/agent-bench.sh.
 *
 *   gcc -O2 -pthread -o floor bench/native/floor.c -lcrypto     (Debian: gcc libssl-dev)
 *   ./floor DIR [THREADS]
 *
 * Prints: files, bytes, seconds, and the XOR of all digests (so that two runs can be compared and
 * nothing is optimized away). Symlinks are not followed; unreadable files are counted and skipped.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define QUEUE 4096
#define CHUNK (128 * 1024)

static char *queue[QUEUE];
static int head, tail, count, done;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;

static unsigned long long files, bytes, failed;
static unsigned char xor_digest[32];

static void push(char *path) {
  pthread_mutex_lock(&lock);
  while (count == QUEUE) pthread_cond_wait(&not_full, &lock);
  queue[tail] = path;
  tail = (tail + 1) % QUEUE;
  count++;
  pthread_cond_signal(&not_empty);
  pthread_mutex_unlock(&lock);
}

static char *pop(void) {
  pthread_mutex_lock(&lock);
  while (count == 0 && !done) pthread_cond_wait(&not_empty, &lock);
  char *p = NULL;
  if (count > 0) {
    p = queue[head];
    head = (head + 1) % QUEUE;
    count--;
    pthread_cond_signal(&not_full);
  }
  pthread_mutex_unlock(&lock);
  return p;
}

static void walk(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    __atomic_add_fetch(&failed, 1, __ATOMIC_RELAXED);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    size_t n = strlen(dir) + strlen(e->d_name) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(p, &st) != 0) {
      __atomic_add_fetch(&failed, 1, __ATOMIC_RELAXED);
      free(p);
    } else if (S_ISDIR(st.st_mode)) {
      walk(p);
      free(p);
    } else if (S_ISREG(st.st_mode)) {
      push(p);
    } else {
      free(p);
    }
  }
  closedir(d);
}

static void *hasher(void *arg) {
  (void)arg;
  unsigned char *buf = malloc(CHUNK);
  unsigned char mine[32] = {0};
  unsigned long long my_files = 0, my_bytes = 0;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  char *p;
  while ((p = pop()) != NULL) {
    int fd = open(p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      __atomic_add_fetch(&failed, 1, __ATOMIC_RELAXED);
      free(p);
      continue;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      close(fd);
      free(p);
      continue;
    }
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    ssize_t r;
    while ((r = read(fd, buf, CHUNK)) > 0) {
      EVP_DigestUpdate(ctx, buf, (size_t)r);
      my_bytes += (unsigned long long)r;
    }
    unsigned char md[32];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    for (int i = 0; i < 32; i++) mine[i] ^= md[i];
    my_files++;
    close(fd);
    free(p);
  }
  EVP_MD_CTX_free(ctx);
  free(buf);
  pthread_mutex_lock(&lock);
  files += my_files;
  bytes += my_bytes;
  for (int i = 0; i < 32; i++) xor_digest[i] ^= mine[i];
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s DIR [THREADS]\n", argv[0]);
    return 2;
  }
  int threads = argc > 2 ? atoi(argv[2]) : 2;
  if (threads < 1 || threads > 256) {
    fprintf(stderr, "%s: THREADS must be 1..256, not %s\n", argv[0], argv[2]);
    return 2;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pthread_t *ts = calloc((size_t)threads, sizeof(pthread_t));
  for (int i = 0; i < threads; i++) pthread_create(&ts[i], NULL, hasher, NULL);
  walk(argv[1]);
  pthread_mutex_lock(&lock);
  done = 1;
  pthread_cond_broadcast(&not_empty);
  pthread_mutex_unlock(&lock);
  for (int i = 0; i < threads; i++) pthread_join(ts[i], NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("files=%llu bytes=%llu failed=%llu seconds=%.3f xor=", files, bytes, failed, s);
  for (int i = 0; i < 32; i++) printf("%02x", xor_digest[i]);
  printf("\n");
  return failed ? 1 : 0;
}
