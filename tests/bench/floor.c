/* The floor of the issue #7 benchmark: the least any tool can do with the same pages.
 * Single-threaded: reads each Markdown file of IN_DIR, renders it with libcmark-gfm and
 * the table, strikethrough and autolink extensions (the options cypp uses), and writes
 * OUT_DIR/<name>.html. No template, no checks.
 * Usage: floor IN_DIR OUT_DIR   (OUT_DIR is created; prints the number of pages) */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

static char *read_all(const char *path, size_t *size) {
    FILE *in = fopen(path, "rb");
    if (!in) return NULL;
    size_t capacity = 4096, used = 0;
    char *text = malloc(capacity);
    size_t got;
    while (text && (got = fread(text + used, 1, capacity - used, in)) > 0) {
        used += got;
        if (used == capacity) {
            char *bigger = realloc(text, capacity *= 2);
            if (!bigger) free(text);
            text = bigger;
        }
    }
    if (ferror(in)) {
        free(text);
        text = NULL;
    }
    fclose(in);
    *size = used;
    return text;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: floor IN_DIR OUT_DIR\n");
        return 2;
    }
    if (mkdir(argv[2], 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "floor: cannot create %s: %s\n", argv[2], strerror(errno));
        return 2;
    }
    cmark_gfm_core_extensions_ensure_registered();
    const char *names[] = {"table", "strikethrough", "autolink"};
    cmark_syntax_extension *extensions[3];
    for (int i = 0; i < 3; ++i) {
        extensions[i] = cmark_find_syntax_extension(names[i]);
        if (!extensions[i]) {
            fprintf(stderr, "floor: no %s extension in this libcmark-gfm\n", names[i]);
            return 2;
        }
    }
    DIR *dir = opendir(argv[1]);
    if (!dir) {
        fprintf(stderr, "floor: cannot open %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    const int options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;
    long pages = 0;
    struct dirent *entry;
    char path[4096];
    while ((entry = readdir(dir)) != NULL) {
        const size_t length = strlen(entry->d_name);
        if (length < 4 || strcmp(entry->d_name + length - 3, ".md") != 0) continue;
        snprintf(path, sizeof path, "%s/%s", argv[1], entry->d_name);
        size_t size;
        char *markdown = read_all(path, &size);
        if (!markdown) {
            fprintf(stderr, "floor: cannot read %s\n", path);
            return 1;
        }
        cmark_parser *parser = cmark_parser_new(options);
        for (int i = 0; i < 3; ++i) cmark_parser_attach_syntax_extension(parser, extensions[i]);
        cmark_parser_feed(parser, markdown, size);
        cmark_node *document = cmark_parser_finish(parser);
        char *html = cmark_render_html(document, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser));
        snprintf(path, sizeof path, "%s/%.*s.html", argv[2], (int)(length - 3), entry->d_name);
        FILE *out = fopen(path, "wb");
        const size_t html_size = strlen(html);
        if (!out || fwrite(html, 1, html_size, out) != html_size || fclose(out) != 0) {
            fprintf(stderr, "floor: cannot write %s\n", path);
            return 1;
        }
        free(html);
        cmark_node_free(document);
        cmark_parser_free(parser);
        free(markdown);
        ++pages;
    }
    closedir(dir);
    printf("%ld pages\n", pages);
    return pages > 0 ? 0 : 1;
}
