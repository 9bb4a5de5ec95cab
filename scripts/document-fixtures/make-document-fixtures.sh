#!/usr/bin/env bash
# Builds the document fixtures of tests/documents from corpus reports, the way offices make them:
# an HTML rendering with real tables (render-html.ts) turned into .docx, .doc and .pdf by
# LibreOffice, a PDF printed by Chromium, and a scanned page (table 三) as a 150 dpi PNG and as an
# image-only PDF. Needs: libreoffice-writer-nogui, chromium, poppler-utils, fonts-wqy-microhei.
# The generated files are committed, so the fast tests need none of these tools.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=tests/fixtures/documents
if [ "${1:-}" = "bad" ]; then ONLY_BAD=1; else ONLY_BAD=0; fi
REPORTS=(2020_weihai-huancui-jingyuan 2022_hongqiao-zhengwufuwuban 2020_dawuli-zhen 2025_xuwang-zhen)
SCANNED=2022_hongqiao-zhengwufuwuban
mkdir -p "$OUT"
npx tsc -p tsconfig.build.json
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PROFILE="file://$WORK/lo-profile"
soffice_convert() { # format outdir file
  soffice "-env:UserInstallation=$PROFILE" --headless --norestore --convert-to "$1" --outdir "$2" "$3" >/dev/null 2>&1
}
make_bad() {
  # Bad input: a password-protected PDF (LibreOffice's PDF export with an open password) and a
  # .docx zip bomb (word/document.xml of 200 MB of spaces, about 200 KB packed).
  soffice "-env:UserInstallation=$PROFILE" --headless --norestore --convert-to \
    'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}' \
    --outdir "$WORK" "$OUT/2022_hongqiao-zhengwufuwuban.docx" >/dev/null 2>&1
  cp "$WORK/2022_hongqiao-zhengwufuwuban.pdf" "$OUT/bad.encrypted.pdf"
  node -e '
    const { zipSync, strToU8 } = require("fflate");
    const body = new Uint8Array(200 * 1024 * 1024).fill(32);
    const zip = zipSync({
      "[Content_Types].xml": strToU8("<?xml version=\"1.0\"?><Types><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"),
      "word/document.xml": body,
    }, { level: 9 });
    require("fs").writeFileSync(process.argv[1], zip);
  ' "$OUT/bad.zip-bomb.docx"
}
if [ "$ONLY_BAD" = 1 ]; then make_bad; ls -la "$OUT"; exit 0; fi
args=()
for r in "${REPORTS[@]}"; do args+=("tests/fixtures/corpus/$r.txt"); done
node dist/scripts/document-fixtures/render-html.js "$WORK" "${args[@]}" "tests/fixtures/corpus/$SCANNED.txt:三" >/dev/null
for r in "${REPORTS[@]}"; do
  cp "$WORK/$r.html" "$OUT/$r.html"
  # Writer imports the page (Writer/Web), then saves it as Word 2007 XML; the PDF is exported
  # from that .docx as an office would, and the .doc is the legacy binary format of the same.
  soffice_convert 'docx:MS Word 2007 XML' "$WORK" "$WORK/$r.html"
  cp "$WORK/$r.docx" "$OUT/$r.docx"
  soffice_convert pdf "$WORK" "$WORK/$r.docx"
  cp "$WORK/$r.pdf" "$OUT/$r.libreoffice.pdf"
  chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$OUT/$r.chromium.pdf" "file://$PWD/$OUT/$r.html" >/dev/null 2>&1
done
soffice_convert 'doc:MS Word 97' "$WORK" "$WORK/${REPORTS[0]}.docx"
cp "$WORK/${REPORTS[0]}.doc" "$OUT/${REPORTS[0]}.doc"
# The scan: table 三 printed on one page by Chromium, rasterised at 150 dpi (grey, as a scanner
# does), and the same picture wrapped as an image-only PDF page.
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$WORK/scan.pdf" "file://$WORK/$SCANNED.table3.html" >/dev/null 2>&1
pdftoppm -r 150 -gray -png -f 1 -l 1 -singlefile "$WORK/scan.pdf" "$OUT/$SCANNED.table3.scan150"
cat > "$WORK/scan-page.html" <<HTML
<!doctype html><html><head><style>@page{size:A4;margin:0}body{margin:0}img{width:210mm}</style></head>
<body><img src="file://$PWD/$OUT/$SCANNED.table3.scan150.png"></body></html>
HTML
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$OUT/$SCANNED.table3.scanned.pdf" "file://$WORK/scan-page.html" >/dev/null 2>&1
make_bad
ls -la "$OUT"
