-- Pages of an imported PDF are now read too (drawn at 300 dpi, as the archive draws them):
-- those kept before wait for their text like any new page.
UPDATE page SET ocr_state = 'pending' WHERE ocr_state = 'none' AND pdf_page IS NOT NULL;
