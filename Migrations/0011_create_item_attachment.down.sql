DROP TABLE item_attachment;
