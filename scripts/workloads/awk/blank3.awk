{ $3 = ""; print }
