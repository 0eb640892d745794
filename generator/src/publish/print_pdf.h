// publish: the print edition as a PDF, for the copies deposited in libraries (R6.c).
// Debian's chromium prints OUT/print/index.html; the PDF is then made reproducible (the
// build's date instead of the clock's, no trace of the temporary folder) so that the
// same input still gives byte-identical output.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "fs/output_tree.h"

namespace cypp::publish {

// Where the print edition's PDF goes: print/<plan id>.pdf, beside print/index.html.
std::string print_pdf_path(const std::string& plan_id);

struct ChromiumSearch {
    std::optional<std::filesystem::path> found;
    std::string looked_for;  // what was searched, for the note when nothing was found
};

// $CYPP_CHROMIUM when it is set (and only that); else the first executable "chromium"
// on PATH; else /usr/bin/chromium when PATH is not set at all.
ChromiumSearch find_chromium();

struct PrintPdfOptions {
    std::filesystem::path chromium;
    std::string html_path = "print/index.html";  // in the tree
    std::string pdf_path;                        // in the tree, e.g. print/2011-2014.pdf
    std::string date;                            // YYYY-MM-DD: the PDF's creation and modification date
    std::chrono::milliseconds timeout = std::chrono::seconds(90);
};

// Writes html_path and what it loads (the theme's assets, images) into a new temporary
// folder, prints it with headless chromium (its own throwaway profile, no network
// services, killed with all its processes at the timeout), makes the PDF reproducible
// and adds it to the tree at pdf_path. The temporary folder is always removed. Returns
// an error message on failure; the tree is then unchanged.
std::optional<std::string> add_print_pdf(fs::OutputTree& tree, const PrintPdfOptions& options);

// The part of add_print_pdf that needs no chromium, for tests: sets /CreationDate and
// /ModDate to date (YYYY-MM-DD, midnight UTC), replaces /ID by a digest of the content,
// turns links to file_base (the file:// URL of the printed folder, ending in '/') into
// links relative to the PDF at pdf_path, and rewrites the cross-reference table for the
// new offsets. Refuses (with a message) a PDF whose layout it does not know: several
// cross-reference sections, cross-reference streams, or file_base left anywhere.
std::optional<std::string> make_pdf_reproducible(std::string& pdf, const std::string& file_base,
                                                 const std::string& pdf_path, const std::string& date);

}  // namespace cypp::publish
